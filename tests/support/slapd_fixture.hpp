#pragma once

// A real OpenLDAP server for tests: Debian's /usr/sbin/slapd (package slapd), configured from a generated
// slapd.conf with the mdb backend, loaded with slapadd, listening on ephemeral loopback ports, with a test
// CA and certificates made with OpenSSL at start-up. Header-only; needs libldap (the readiness bind) and
// OpenSSL's libcrypto.

#include <arpa/inet.h>
#include <fcntl.h>
#include <lber.h>
#include <ldap.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "tests/support/temp_dir.hpp"
#include "tests/support/test_certificates.hpp"

namespace dirsync::testing {

/// What the test directory holds besides the base entries.
struct slapd_options {
    /// An LDIF file loaded before everything else, which must then hold dc=example,dc=com and
    /// ou=Groups; empty: those two are generated. Defaults to the OpenLDAP project's tests/data/test.ldif
    /// (19 entries) where the test target defines DIRSYNC_LDAP_TESTDATA, its directory.
#ifdef DIRSYNC_LDAP_TESTDATA
    std::string test_ldif = DIRSYNC_LDAP_TESTDATA "/test.ldif";
#else
    std::string test_ldif;
#endif
    /// Generate this many inetOrgPerson entries uid=person00001.. under ou=Bulk,dc=example,dc=com.
    std::size_t bulk_people = 0;
    /// Generate cn=Big Group,ou=Groups,dc=example,dc=com (groupOfNames) with the first this-many bulk people
    /// as members.
    std::size_t big_group_members = 0;
    /// The global size limit for everyone but the rootdn; paged searches may return any total
    /// (size.prtotal=unlimited), as Active Directory allows.
    std::size_t size_limit = 1000;
    /// syncprov-sessionlog: how many write operations syncprov remembers, so that a syncrepl refresh with a
    /// recent cookie learns of deletes as delete UUIDs instead of through a present phase; 0: none.
    std::size_t syncprov_sessionlog = 0;
    /// syncprov-reloadhint TRUE: a refresh whose cookie is too old fails with e-syncRefreshRequired (4096)
    /// unless the client sets reloadHint, instead of silently sending everything.
    bool syncprov_reloadhint = false;
    /// Extra schema (slapd.conf attributetype/objectclass lines), included after the standard schema: lets
    /// a test give slapd attributes of other servers (Active Directory's uSNChanged, objectGUID).
    std::string extra_schema;
    /// LDIF of attributes added to the root DSE (slapd's rootDSE directive), e.g. highestCommittedUSN.
    std::string root_dse_ldif;
    /// LDIF appended to the directory's data after the generated entries.
    std::string extra_ldif;
};

/// One slapd process in a fresh temporary directory, stopped (SIGTERM, then SIGKILL) on destruction.
///
/// Directory contents: the base dc=example,dc=com, ou=Services with cn=reader (password `reader_password`,
/// the account tests bind as: unlike the rootdn it is subject to the size limit) and cn=Special (values that
/// need filter escaping, a binary jpegPhoto), ou=Groups, then whatever `slapd_options` asks for. Every
/// authenticated identity may read everything; anonymous may only bind.
///
/// TLS: StartTLS on the ldap:// port and TLS on the ldaps:// port with a server certificate for localhost
/// and 127.0.0.1 signed by a test CA (`ca_file()`); client certificates are requested but optional
/// (TLSVerifyClient try), and `client_cert_file()` (subject cn=reader,ou=Services,dc=example,dc=com) makes
/// SASL EXTERNAL work. `wrong_ca_file()` is an unrelated CA.
class slapd_server {
  public:
    static constexpr const char* base_dn = "dc=example,dc=com";
    static constexpr const char* admin_dn = "cn=admin,dc=example,dc=com";
    static constexpr const char* admin_password = "admin-secret";
    static constexpr const char* reader_dn = "cn=reader,ou=Services,dc=example,dc=com";
    static constexpr const char* reader_password = "reader-secret";
    static constexpr const char* special_dn = "cn=Special,ou=Services,dc=example,dc=com";
    /// The description of cn=Special: every character RFC 4515 requires escaping, and UTF-8.
    static constexpr std::string_view special_description =
        "a*b(c)d\\e Gr\xc3\xbc\xc3\x9f"
        "e";
    /// The jpegPhoto of cn=Special: not UTF-8, with NULs.
    static std::string special_photo() { return std::string("\xff\xd8\x00\x01\x00\xfe\x80\x00", 8); }

    explicit slapd_server(slapd_options options = {}) : options_(options) {
        for (const char* program : {"/usr/sbin/slapd", "/usr/sbin/slapadd"})
            if (::access(program, X_OK) != 0)
                throw std::runtime_error(std::string(program) + " is missing: install the slapd package");
        write_certificates(dir_.path());
        std::filesystem::create_directories(dir_.path() / "db");
        write_ldif();
        for (int attempt = 0;; ++attempt) {
            port_ = free_port();
            tls_port_ = free_port();
            write_config();
            if (attempt == 0) load();
            if (start()) return;
            if (attempt == 2) throw std::runtime_error("slapd did not start:\n" + log());
        }
    }

    ~slapd_server() { stop(); }
    slapd_server(const slapd_server&) = delete;
    slapd_server& operator=(const slapd_server&) = delete;

    std::uint16_t port() const noexcept { return port_; }
    std::string ldap_url() const { return "ldap://127.0.0.1:" + std::to_string(port_); }
    std::string ldaps_url() const { return "ldaps://127.0.0.1:" + std::to_string(tls_port_); }
    std::string ca_file() const { return dir_.file("ca.pem"); }
    std::string wrong_ca_file() const { return dir_.file("wrong-ca.pem"); }
    std::string client_cert_file() const { return dir_.file("client.pem"); }
    std::string client_key_file() const { return dir_.file("client.key"); }
    pid_t pid() const noexcept { return pid_; }

    /// SIGSTOP, returning once the process has stopped: the server keeps its connections but answers
    /// nothing (the kernel still completes TCP handshakes and buffers requests).
    void suspend() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGSTOP);
        int status = 0;
        ::waitpid(pid_, &status, WUNTRACED);
    }
    /// SIGCONT after suspend(), returning once the process runs again.
    void resume() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGCONT);
        int status = 0;
        ::waitpid(pid_, &status, WCONTINUED);
    }
    /// SIGKILL and reap: a crash; the kernel closes its connections.
    void kill() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        int status = 0;
        ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    /// SIGTERM (after SIGCONT, in case it is suspended) and wait; SIGKILL after 10 s.
    void stop() {
        if (pid_ <= 0) return;
        ::kill(pid_, SIGCONT);
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        kill();
    }

    /// stop(), then the same server again on the same ports and data; false when it did not come back.
    bool restart() {
        stop();
        return start();
    }

    /// slapd's stderr (start-up messages and errors).
    std::string log() const { return read_text(dir_.file("slapd.log")); }

  private:
    // ---------- configuration and data ----------

    static std::string read_text(const std::string& file) {
        std::ifstream in(file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }

    static std::string base64(std::string_view bytes) {
        std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
        const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(bytes.data()),
                                      static_cast<int>(bytes.size()));
        out.resize(static_cast<std::size_t>(n));
        return out;
    }

    static std::string person_uid(std::size_t i) {
        char buffer[32];
        std::snprintf(buffer, sizeof buffer, "person%05zu", i);
        return buffer;
    }

    void write_ldif() const {
        std::ofstream out(dir_.file("data.ldif"), std::ios::binary);
        if (!options_.test_ldif.empty()) {
            if (!std::filesystem::exists(options_.test_ldif))
                throw std::runtime_error("test LDIF '" + options_.test_ldif + "' not found");
            out << read_text(options_.test_ldif) << "\n\n";
        } else {
            out << "dn: dc=example,dc=com\nobjectClass: dcObject\nobjectClass: organization\no: Example\n"
                   "dc: example\n\n"
                   "dn: ou=Groups,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Groups\n\n";
        }
        out << "dn: ou=Services,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Services\n\n"
            << "dn: " << reader_dn << "\nobjectClass: inetOrgPerson\ncn: reader\nsn: Reader\nuid: reader\n"
            << "userPassword: " << reader_password << "\n\n"
            << "dn: " << special_dn << "\nobjectClass: inetOrgPerson\ncn: Special\nsn: Special\n"
            << "description:: " << base64(special_description) << "\n"
            << "jpegPhoto:: " << base64(special_photo()) << "\n\n";
        if (options_.bulk_people > 0) {
            out << "dn: ou=Bulk,dc=example,dc=com\nobjectClass: organizationalUnit\nou: Bulk\n\n";
            for (std::size_t i = 1; i <= options_.bulk_people; ++i) {
                const std::string uid = person_uid(i);
                out << "dn: uid=" << uid
                    << ",ou=Bulk,dc=example,dc=com\nobjectClass: inetOrgPerson\nuid: " << uid
                    << "\ncn: Person " << i << "\nsn: " << i << "\nmail: " << uid << "@example.com\n\n";
            }
        }
        if (options_.big_group_members > 0) {
            out << "dn: cn=Big Group,ou=Groups,dc=example,dc=com\nobjectClass: groupOfNames\ncn: Big Group\n";
            for (std::size_t i = 1; i <= options_.big_group_members; ++i)
                out << "member: uid=" << person_uid(i) << ",ou=Bulk,dc=example,dc=com\n";
            out << "\n";
        }
        if (!options_.extra_ldif.empty()) out << options_.extra_ldif << "\n\n";
    }

    void write_config() const {
        const auto& d = dir_.path();
        std::ofstream out(dir_.file("slapd.conf"));
        out << "include /etc/ldap/schema/core.schema\n"
               "include /etc/ldap/schema/cosine.schema\n"
               "include /etc/ldap/schema/inetorgperson.schema\n"
               "include /etc/ldap/schema/nis.schema\n"
               "include /etc/ldap/schema/openldap.schema\n";
        if (!options_.extra_schema.empty()) {
            std::ofstream(dir_.file("extra.schema")) << options_.extra_schema << "\n";
            out << "include " << dir_.file("extra.schema") << "\n";
        }
        if (!options_.root_dse_ldif.empty()) {
            std::ofstream(dir_.file("rootdse.ldif")) << options_.root_dse_ldif << "\n";
            out << "rootDSE " << dir_.file("rootdse.ldif") << "\n";
        }
        out << "modulepath /usr/lib/ldap\n"
               "moduleload back_mdb\n"
               "moduleload syncprov\n"
            << "pidfile " << (d / "slapd.pid").string() << "\n"
            << "argsfile " << (d / "slapd.args").string() << "\n"
            << "sizelimit size.soft=" << options_.size_limit << " size.hard=" << options_.size_limit
            << " size.prtotal=unlimited\n"
            << "TLSCACertificateFile " << ca_file() << "\n"
            << "TLSCertificateFile " << dir_.file("server.pem") << "\n"
            << "TLSCertificateKeyFile " << dir_.file("server.key") << "\n"
            << "TLSVerifyClient try\n"
            << "database mdb\n"
               "suffix \"dc=example,dc=com\"\n"
            << "rootdn \"" << admin_dn << "\"\n"
            << "rootpw " << admin_password << "\n"
            << "directory " << (d / "db").string() << "\n"
            << "maxsize 268435456\n"
               "index objectClass eq\n"
               "index entryUUID,entryCSN eq\n"
               "access to attrs=userPassword by self write by anonymous auth by * none\n"
               "access to * by users read by * none\n"
               "overlay syncprov\n";
        if (options_.syncprov_sessionlog > 0)
            out << "syncprov-sessionlog " << options_.syncprov_sessionlog << "\n";
        if (options_.syncprov_reloadhint) out << "syncprov-reloadhint TRUE\n";
    }

    /// Runs a program to completion with stdout and stderr appended to slapd.log; its exit status.
    int run(const std::vector<std::string>& args) const {
        const pid_t child = ::fork();
        if (child < 0) throw std::runtime_error("fork failed");
        if (child == 0) {
            redirect_output();
            std::vector<char*> argv;
            for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
            argv.push_back(nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
        int status = 0;
        ::waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }

    /// In a child: stdout and stderr to slapd.log, stdin from /dev/null.
    void redirect_output() const {
        const int log_fd = ::open(dir_.file("slapd.log").c_str(), O_WRONLY | O_APPEND | O_CREAT, 0600);
        const int null_fd = ::open("/dev/null", O_RDONLY);
        if (log_fd >= 0) {
            ::dup2(log_fd, STDOUT_FILENO);
            ::dup2(log_fd, STDERR_FILENO);
        }
        if (null_fd >= 0) ::dup2(null_fd, STDIN_FILENO);
    }

    void load() const {
        const int status =
            run({"/usr/sbin/slapadd", "-q", "-f", dir_.file("slapd.conf"), "-l", dir_.file("data.ldif")});
        if (status != 0)
            throw std::runtime_error("slapadd failed (" + std::to_string(status) + "):\n" + log());
    }

    /// A port nobody listens on right now (bound to 0 and released; slapd may still lose a race for it).
    static std::uint16_t free_port() {
        const int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0) throw std::runtime_error("socket failed");
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        socklen_t length = sizeof address;
        if (::bind(s, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
            ::getsockname(s, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
            ::close(s);
            throw std::runtime_error("cannot find a free port");
        }
        ::close(s);
        return ntohs(address.sin_port);
    }

    /// Starts slapd in the foreground (-d 0) and waits until the rootdn can bind; false if it exited.
    bool start() {
        const std::string urls = ldap_url() + "/ " + ldaps_url() + "/";
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            redirect_output();
            ::execl("/usr/sbin/slapd", "slapd", "-d", "0", "-f", dir_.file("slapd.conf").c_str(), "-h",
                    urls.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
        while (std::chrono::steady_clock::now() < deadline) {
            int status = 0;
            if (::waitpid(pid_, &status, WNOHANG) == pid_) {
                pid_ = -1;
                return false;
            }
            if (can_bind()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        kill();
        throw std::runtime_error("slapd did not accept a bind within 15 s:\n" + log());
    }

    struct ldap_unbinder {
        void operator()(LDAP* ld) const noexcept { ldap_unbind_ext(ld, nullptr, nullptr); }
    };

    bool can_bind() const {
        LDAP* raw = nullptr;
        const int rc = ldap_initialize(&raw, ldap_url().c_str());
        std::unique_ptr<LDAP, ldap_unbinder> ld(raw);
        if (rc != LDAP_SUCCESS || !ld) return false;
        const int version = LDAP_VERSION3;
        ldap_set_option(ld.get(), LDAP_OPT_PROTOCOL_VERSION, &version);
        const timeval timeout{1, 0};
        ldap_set_option(ld.get(), LDAP_OPT_NETWORK_TIMEOUT, &timeout);
        ldap_set_option(ld.get(), LDAP_OPT_TIMEOUT, &timeout);
        berval password{static_cast<ber_len_t>(std::string_view(admin_password).size()),
                        const_cast<char*>(admin_password)};
        return ldap_sasl_bind_s(ld.get(), admin_dn, LDAP_SASL_SIMPLE, &password, nullptr, nullptr, nullptr) ==
               LDAP_SUCCESS;
    }

    slapd_options options_;
    temp_dir dir_;
    std::uint16_t port_ = 0;
    std::uint16_t tls_port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace dirsync::testing
