#include "newswatch/matcher/watch_set.hpp"

#include <memory>
#include <utility>

#include "compiled_set.hpp"
#include "document_scan.hpp"
#include "newswatch/core/errc.hpp"
#include "watch_compiler.hpp"
#include "watch_evaluator.hpp"

namespace newswatch::matcher {

namespace {

// Whether the query could be true given only which leaves occur (a necessary condition,
// cheap): most watches with some occurrence fail here and skip evaluation.
bool possible(const eval_node& n, const std::vector<unsigned char>& present, std::uint32_t first_leaf) {
    switch (n.op) {
        case query_op::term:
            return present[n.leaf - first_leaf] != 0;
        case query_op::none_of:
            return true;
        case query_op::any_of:
            for (const auto& c : n.children)
                if (possible(c, present, first_leaf)) return true;
            return false;
        default:  // all_of, near, sentence
            for (const auto& c : n.children)
                if (!possible(c, present, first_leaf)) return false;
            return true;
    }
}

}  // namespace

std::string query_error::to_string() const {
    std::string s = "watch '" + watch + "': query position " + std::to_string(position) + ": " + message;
    if (!hint.empty()) s += " (" + hint + ")";
    return s;
}

struct watch_set::impl : compiled_set {
    std::vector<watch_result> match(const document& doc, bool explain) const {
        document_scan scan(*this, doc);
        watch_evaluator evaluator(*this, scan);
        const auto& occs = scan.occurrences();
        std::vector<unsigned char> present;
        std::vector<watch_result> out;
        // Occurrences are sorted by leaf, and each watch's leaves are one contiguous range in
        // watch order. The usual case visits only the watches that have an occurrence, so the
        // cost does not grow with the number of watches that are not concerned.
        if (!explain && min_hits_zero.empty()) {
            std::size_t at = 0;
            while (at < occs.size()) {
                const std::uint32_t index = leaves[occs[at].leaf].watch;
                const auto& w = watches[index];
                std::size_t end = at;
                while (end < occs.size() && occs[end].leaf < w.leaf_end) ++end;
                present.assign(w.leaf_end - w.first_leaf, 0);
                for (std::size_t k = at; k < end; ++k) present[occs[k].leaf - w.first_leaf] = 1;
                if (possible(w.root, present, w.first_leaf)) {
                    auto r = evaluator.evaluate(index, at, end, false);
                    if (r.matched) out.push_back(std::move(r));
                }
                at = end;
            }
            return out;
        }
        std::size_t at = 0;
        for (std::uint32_t index = 0; index < watches.size(); ++index) {
            const auto& w = watches[index];
            while (at < occs.size() && occs[at].leaf < w.first_leaf) ++at;
            std::size_t end = at;
            while (end < occs.size() && occs[end].leaf < w.leaf_end) ++end;
            if (end == at && !explain && specs[index].min_hits > 0) continue;
            auto r = evaluator.evaluate(index, at, end, explain);
            at = end;
            if (r.matched || explain) out.push_back(std::move(r));
        }
        return out;
    }
};

watch_set::watch_set(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
watch_set::watch_set(watch_set&&) noexcept = default;
watch_set& watch_set::operator=(watch_set&&) noexcept = default;
watch_set::~watch_set() = default;

core::result<watch_set> watch_set::compile(std::vector<watch_spec> specs, query_error* error_out) {
    auto p = std::make_unique<impl>();
    p->specs = std::move(specs);
    watch_compiler compiler(*p);
    for (std::uint32_t i = 0; i < p->specs.size(); ++i) {
        query_error err;
        if (!compiler.compile_watch(i, err)) {
            if (error_out != nullptr) *error_out = err;
            return core::error{core::errc::parse_error, err.to_string()};
        }
    }
    compiler.finish();
    return watch_set(std::move(p));
}

std::vector<watch_result> watch_set::match(const document& doc, bool explain) const {
    return impl_->match(doc, explain);
}

const std::vector<watch_spec>& watch_set::specs() const noexcept {
    return impl_->specs;
}

}  // namespace newswatch::matcher
