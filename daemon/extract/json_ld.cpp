#include "json_ld.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <string_view>
#include <vector>

#include "dom.hpp"

namespace newswatch::extract {

namespace {

bool is_article_type(std::string_view type) noexcept {
    for (std::string_view t : {"Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle",
                               "OpinionNewsArticle", "BackgroundNewsArticle", "ReviewNewsArticle",
                               "BlogPosting", "LiveBlogPosting", "SocialMediaPosting", "TechArticle",
                               "ScholarlyArticle", "Report", "AdvertiserContentArticle", "SatiricalArticle"})
        if (type == t || type == "http://schema.org/" + std::string(t) ||
            type == "https://schema.org/" + std::string(t))
            return true;
    return false;
}

bool has_article_type(const boost::json::object& o) {
    const auto* type = o.if_contains("@type");
    if (!type) return false;
    if (type->is_string()) return is_article_type(type->get_string());
    if (type->is_array())
        for (const auto& t : type->get_array())
            if (t.is_string() && is_article_type(t.get_string())) return true;
    return false;
}

std::optional<std::string> string_of(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (!v) return std::nullopt;
    if (v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
    if (v->is_object()) {  // {"@id": ...} or {"@value": ...}
        if (const auto* inner = v->get_object().if_contains("@value"); inner && inner->is_string())
            return std::string(inner->get_string());
    }
    return std::nullopt;
}

void add_person(const boost::json::value& v, std::string& names) {
    std::string name;
    if (v.is_string())
        name = std::string(v.get_string());
    else if (v.is_object())
        if (const auto* n = v.get_object().if_contains("name"); n && n->is_string())
            name = std::string(n->get_string());
    name = std::string(dom::trim(name));
    if (name.empty()) return;
    if (!names.empty()) names += ", ";
    names += name;
}

std::optional<json_ld_article> read_article(const boost::json::object& o) {
    json_ld_article a;
    a.headline = string_of(o, "headline");
    if (!a.headline) a.headline = string_of(o, "name");
    if (const auto* author = o.if_contains("author")) {
        std::string names;
        if (author->is_array())
            for (const auto& p : author->get_array()) add_person(p, names);
        else
            add_person(*author, names);
        if (!names.empty()) a.author = std::move(names);
    }
    a.date_published = string_of(o, "datePublished");
    a.article_body = string_of(o, "articleBody");
    a.language = string_of(o, "inLanguage");
    a.url = string_of(o, "url");
    return a;
}

std::optional<json_ld_article> search(const boost::json::value& v, int depth) {
    if (depth > 8) return std::nullopt;
    if (v.is_array()) {
        for (const auto& e : v.get_array())
            if (auto a = search(e, depth + 1)) return a;
        return std::nullopt;
    }
    if (!v.is_object()) return std::nullopt;
    const auto& o = v.get_object();
    if (has_article_type(o)) return read_article(o);
    if (const auto* graph = o.if_contains("@graph")) return search(*graph, depth + 1);
    return std::nullopt;
}

void collect_scripts(const GumboNode* node, std::vector<const GumboNode*>& out, int depth) {
    if (!dom::is_element(node) || depth > dom::max_depth) return;
    if (node->v.element.tag == GUMBO_TAG_SCRIPT) {
        if (dom::lowercase(dom::trim(dom::attribute_or_empty(node, "type"))) == "application/ld+json")
            out.push_back(node);
        return;
    }
    const GumboVector& kids = node->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i)
        collect_scripts(static_cast<const GumboNode*>(kids.data[i]), out, depth + 1);
}

}  // namespace

std::optional<json_ld_article> find_json_ld_article(const GumboNode* root) {
    std::vector<const GumboNode*> scripts;
    collect_scripts(root, scripts, 0);
    for (const GumboNode* script : scripts) {
        std::string json;
        const GumboVector& kids = script->v.element.children;
        for (unsigned i = 0; i < kids.length; ++i) {
            const auto* k = static_cast<const GumboNode*>(kids.data[i]);
            if (k->type == GUMBO_NODE_TEXT || k->type == GUMBO_NODE_WHITESPACE || k->type == GUMBO_NODE_CDATA)
                json += k->v.text.text;
        }
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(json, ec);
        if (ec) continue;
        if (auto a = search(v, 0)) return a;
    }
    return std::nullopt;
}

}  // namespace newswatch::extract
