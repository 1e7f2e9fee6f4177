// libcurl set-up shared by the channels (not part of the module's interface).
#pragma once

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <stdexcept>

namespace vikno::notify {

inline void ensure_curl() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw std::runtime_error("libcurl failed to initialize");
    }
  });
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlHandle = std::unique_ptr<CURL, CurlDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlList = std::unique_ptr<curl_slist, SlistDeleter>;

inline CurlList append(CurlList list, const char* item) {
  curl_slist* raw = curl_slist_append(list.get(), item);
  if (raw == nullptr) {
    throw std::bad_alloc();
  }
  (void)list.release();
  return CurlList(raw);
}

} // namespace vikno::notify
