#include "directory/email_rules.hpp"

#include <algorithm>

#include "common/ascii.hpp"
#include "common/email_address.hpp"

namespace dirsync::directory {

namespace {

constexpr std::string_view consumer_domains[] = {
    "gmail.com",      "googlemail.com", "hotmail.com",     "hotmail.co.uk",  "hotmail.fr",    "hotmail.de",
    "hotmail.it",     "hotmail.es",     "outlook.com",     "outlook.de",     "outlook.fr",    "live.com",
    "live.co.uk",     "live.fr",        "live.nl",         "msn.com",        "passport.com",  "yahoo.com",
    "yahoo.co.uk",    "yahoo.fr",       "yahoo.de",        "yahoo.es",       "yahoo.it",      "yahoo.co.jp",
    "yahoo.com.br",   "ymail.com",      "rocketmail.com",  "aol.com",        "aim.com",       "icloud.com",
    "me.com",         "mac.com",        "proton.me",       "protonmail.com", "protonmail.ch", "pm.me",
    "tutanota.com",   "tuta.io",        "zoho.com",        "zohomail.com",   "yandex.com",    "yandex.ru",
    "mail.ru",        "inbox.ru",       "list.ru",         "bk.ru",          "gmx.com",       "gmx.net",
    "gmx.de",         "gmx.at",         "gmx.ch",          "web.de",         "t-online.de",   "freenet.de",
    "mail.com",       "email.com",      "usa.com",         "fastmail.com",   "fastmail.fm",   "hushmail.com",
    "qq.com",         "163.com",        "126.com",         "yeah.net",       "sina.com",      "naver.com",
    "daum.net",       "hanmail.net",    "rediffmail.com",  "libero.it",      "virgilio.it",   "tiscali.it",
    "orange.fr",      "wanadoo.fr",     "free.fr",         "laposte.net",    "sfr.fr",        "seznam.cz",
    "wp.pl",          "o2.pl",          "interia.pl",      "onet.pl",        "comcast.net",   "verizon.net",
    "att.net",        "sbcglobal.net",  "bellsouth.net",   "cox.net",        "charter.net",   "earthlink.net",
    "btinternet.com", "sky.com",        "virginmedia.com", "ntlworld.com",   "shaw.ca",       "rogers.com",
    "sympatico.ca",   "bigpond.com",    "optusnet.com.au", "xtra.co.nz",     "uol.com.br",    "bol.com.br",
    "terra.com.br",   "ziggo.nl",       "kpnmail.nl",      "telenet.be",     "skynet.be",     "bluewin.ch",
};

bool listed(const std::vector<std::string>& domains, std::string_view domain) {
    // The domain itself or any parent: mail.yahoo.com is yahoo.com's.
    for (;;) {
        if (std::find(domains.begin(), domains.end(), domain) != domains.end()) return true;
        const auto dot = domain.find('.');
        if (dot == std::string_view::npos) return false;
        domain.remove_prefix(dot + 1);
    }
}

}  // namespace

std::span<const std::string_view> builtin_consumer_domains() noexcept { return consumer_domains; }

std::string mail_domain(std::string_view address) {
    const auto at = address.rfind('@');
    return at == std::string_view::npos ? std::string() : common::to_lower_ascii(address.substr(at + 1));
}

boost::system::result<void, error> check_business_address(const email_policy& policy,
                                                          std::string_view address) {
    if (!common::is_email_address(address))
        return error(error_code::invalid_value, "invalid_email",
                     "'" + std::string(address.substr(0, 254)) + "' is not an e-mail address");
    if (!policy.business_only) return {};
    const auto domain = mail_domain(address);
    if (listed(policy.consumer_domains, domain))
        return error(error_code::invalid_value, "consumer_domain",
                     "'" + std::string(address) + "' is at " + domain +
                         ", a consumer mail domain; this tenant accepts business addresses only");
    return {};
}

}  // namespace dirsync::directory
