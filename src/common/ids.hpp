// Globally unique ids for the records a center creates (cases, their moves, messages): UUIDv7
// (RFC 9562), 48 bits of Unix milliseconds then 74 random bits, so ids sort by creation time and
// an offline center node's rows upload to the regional database without clashes. Pure: the random
// bytes come from the caller (seal::new_id fills them from libsodium).
#pragma once

#include <span>
#include <string>

#include "common/time.hpp"

namespace vikno {

// "0190a1b2-c3d4-7xxx-yxxx-xxxxxxxxxxxx", lower case.
std::string uuid_v7(Millis now, std::span<const unsigned char, 10> random);

} // namespace vikno
