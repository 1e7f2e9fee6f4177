// What a visitor comes for (мета візиту), the kiosk's second question: shared by the registry
// (the purposes a service card lists) and the queue (the purpose a ticket carries).
#pragma once

#include <optional>
#include <string_view>

#include "common/enum_names.hpp"

namespace vikno {

enum class Purpose { consultation, submit_documents, receive_result };

inline constexpr EnumNames<Purpose, 3> kPurposeNames{{"consultation", "submit_documents", "receive_result"}};

inline std::string_view to_string(Purpose v) { return kPurposeNames.of(v); }
inline std::optional<Purpose> purpose_from(std::string_view s) { return kPurposeNames.from(s); }

} // namespace vikno
