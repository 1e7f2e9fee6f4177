// HTTP mapping of accounts: sign-in and out, users, centers (minimal), device and API tokens.
// Only parsing, authorization declarations and JSON shapes live here; Accounts does the work.
#pragma once

#include "auth/accounts.hpp"
#include "http/router.hpp"

namespace vikno::auth {

struct SessionCookieOptions {
  bool secure = false; // set the Secure flag (behind HTTPS)
};

void add_account_routes(http::Router& router, Accounts& accounts, SessionCookieOptions cookie = {});

// Authenticates a request from its session cookie or bearer token (used by http::Server).
Result<Principal> authenticate_request(const Accounts& accounts, const http::Request& request);

} // namespace vikno::auth
