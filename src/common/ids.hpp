// UUIDv7 (RFC 9562): the ids of rows that an offline center node may later upload to the regional
// database (cases, outbox messages). The first 48 bits are the time in milliseconds, so ids sort
// by creation time and index well; the rest is random. common does no IO, so the caller hands in
// the random bytes (seal::new_id fills them from libsodium).
#pragma once

#include <span>
#include <string>

#include "common/time.hpp"

namespace vikno {

// "0190c2a4-7b3e-7c1d-9a2b-3c4d5e6f7081": lowercase, 8-4-4-4-12. 74 of the 80 random bits are used
// (12 after the version nibble, 62 after the variant bits). A time before 1970 counts as 0.
std::string uuid_v7(Millis now, std::span<const unsigned char, 10> random);

} // namespace vikno
