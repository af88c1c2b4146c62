#include "event_lexicon.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <initializer_list>
#include <utility>
#include <vector>

namespace newswatch::stance {

namespace {

// One group per kind of event; a claim's predicate word is met by any word of its group.
// Words are written out in full and folded at start-up, so inflected forms in the list and
// the article meet through the same five-letter prefix. Keep the groups generic: words that
// name an event or its usual object, never a topic's names.
const std::initializer_list<std::initializer_list<const char*>> groups = {
    // joining an organisation
    {"join",  "joins",     "joined",   "joining",     "accession",  "accede",       "membership", "member",
     "admit", "admission", "admitted", "enlargement", "вступ",      "вступити",     "вступить",   "членство",
     "член",  "члени",     "члена",    "членом",      "приєднання", "присоединение"},
    // inviting
    {"invite", "invitation", "invites", "запрошення", "запросити", "приглашение", "пригласить"},
    // sending forces or goods
    {"send", "sends", "sending", "sent", "deploy", "deployment", "dispatch", "направити", "направлені",
     "направить", "отправить", "розмістити", "разместить", "поставки", "deliver", "delivery", "supply",
     "supplies"},
    // troops
    {"troops", "troop", "soldiers", "forces", "peacekeepers", "contingent", "війська", "військ", "войска",
     "контингент", "миротворці", "миротворцы"},
    // ceasefire
    {"ceasefire", "cease-fire", "truce", "armistice", "перемир'я", "перемирие", "припинення", "прекращение"},
    // agreement
    {"agree", "agreement", "agreed", "deal", "deals", "accord", "treaty", "pact", "settlement", "угода",
     "угоди", "угоду", "соглашение", "соглашения", "домовленість", "договор", "договір"},
    // sanctions
    {"sanction", "sanctions", "embargo", "blacklist", "санкції", "санкции"},
    // capturing or holding a place, and the fighting for it
    {"capture",   "captured",  "seize",        "seized",    "occupy",     "occupied", "fall",
     "falls",     "fell",      "taken",        "conquer",   "захопити",   "захопили", "захватить",
     "захватила", "захватили", "оккупировать", "окупувати", "взяли",      "взятие",   "take",
     "takes",     "taking",    "took",         "withdraw",  "withdrawal", "withdrew", "retreat",
     "control",   "hold",      "holds",        "enter",     "enters",     "battle",   "assault",
     "storm",     "encircle",  "encirclement", "liberate",  "defend",     "defence",  "defense",
     "front",     "fight",     "fighting",     "пал",       "пала",       "взят",     "взяття",
     "контроль",  "отход",     "відхід",       "відступ",   "отступ",     "битва",    "бій",
     "бої",       "бои",       "штурм",        "оточення",  "окружение",  "оборона",  "оборону",
     "наступ",    "фронт"},
    // meeting
    {"meet", "meets", "meeting", "met", "summit", "talks", "зустріч", "зустрінуться", "встреча", "встретятся",
     "переговори", "переговоры"},
    // funding
    {"fund", "funds", "funding", "finance", "financing", "loan", "loans", "reparation", "фінансування",
     "финансирование", "кредит"},
    // freezing assets
    {"frozen", "freeze", "immobilised", "immobilized", "заморожені", "замороженные", "активи", "активы",
     "assets"},
    // weapons
    {"missile", "missiles", "rocket", "rockets", "weapons", "arms", "ракети", "ракеты", "зброя", "оружие"},
};

struct entry {
    std::string prefix;
    std::uint32_t groups = 0;
};

std::vector<entry> build_table() {
    std::vector<entry> table;
    std::uint32_t bit = 1;
    for (const auto& group : groups) {
        for (const char* word : group) table.push_back({fold_prefix(word), bit});
        bit <<= 1;
    }
    std::sort(table.begin(), table.end(), [](const entry& a, const entry& b) { return a.prefix < b.prefix; });
    // One entry per prefix, with the union of its groups.
    std::vector<entry> merged;
    for (auto& e : table) {
        if (!merged.empty() && merged.back().prefix == e.prefix)
            merged.back().groups |= e.groups;
        else
            merged.push_back(std::move(e));
    }
    return merged;
}

}  // namespace

std::string fold_prefix(std::string_view word) {
    utf8proc_uint8_t* folded = nullptr;
    const auto n = utf8proc_map(
        reinterpret_cast<const utf8proc_uint8_t*>(word.data()), static_cast<utf8proc_ssize_t>(word.size()),
        &folded, static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE));
    std::string out;
    if (n > 0) {
        std::string_view s(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
        std::size_t cps = 0, i = 0;
        while (i < s.size() && cps < prefix_code_points) {
            std::size_t len = 1;
            const auto c = static_cast<unsigned char>(s[i]);
            if (c >= 0xF0)
                len = 4;
            else if (c >= 0xE0)
                len = 3;
            else if (c >= 0xC0)
                len = 2;
            i = std::min(s.size(), i + len);
            ++cps;
        }
        out.assign(s.substr(0, i));
    }
    std::free(folded);
    return out;
}

std::uint32_t event_groups(std::string_view folded_prefix) noexcept {
    static const std::vector<entry> table = build_table();
    const auto at = std::lower_bound(table.begin(), table.end(), folded_prefix,
                                     [](const entry& e, std::string_view p) { return e.prefix < p; });
    return at != table.end() && at->prefix == folded_prefix ? at->groups : 0;
}

}  // namespace newswatch::stance
