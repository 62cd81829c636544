#pragma once

// SHA-256 as lower-case hex, over one or more pieces of text: the ruleset hash and the
// `--lists` provenance.

#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace sanx::detail {

class Sha256 {
  public:
    Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
    }
    Sha256& update(std::string_view text) {
        EVP_DigestUpdate(ctx_.get(), text.data(), text.size());
        return *this;
    }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx_.get(), md, &len);
        static const char* digits = "0123456789abcdef";
        std::string out;
        for (unsigned i = 0; i < len; ++i) {
            out += digits[md[i] >> 4];
            out += digits[md[i] & 15];
        }
        return out;
    }

  private:
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

}  // namespace sanx::detail
