#include "newswatch/stance/item_text.hpp"

namespace newswatch::stance {

std::string item_text(const core::item& item) {
    std::string text = item.title.value_or("");
    const std::string& body = item.content && !item.content->empty() ? *item.content : item.summary.value_or("");
    if (!body.empty()) {
        if (!text.empty()) text += '\n';
        text += body;
    }
    return text;
}

std::string item_text(const core::item& item, std::string_view article) {
    if (article.empty()) return item_text(item);
    std::string text = item.title.value_or("");
    if (!text.empty()) text += '\n';
    text += article;
    return text;
}

}  // namespace newswatch::stance
