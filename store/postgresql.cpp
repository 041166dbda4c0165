#include "store/postgresql.hpp"

#include <charconv>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/ascii.hpp"
#include "common/log.hpp"

namespace dirsync::store {

namespace {

/// Every write transaction of a dirsyncd store takes this transaction-level advisory lock ("dirsyncd" in
/// ASCII): writers of all processes sharing the database run one after the other.
constexpr const char* writer_lock_sql = "SELECT pg_advisory_xact_lock(7235441237473354596)";

/// The OID of PostgreSQL's `text` type (pg_type.h's TEXTOID, which libpq does not export).
constexpr Oid text_type = 25;

struct result_deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

/// libpq's message text on one line, for the log and exceptions: trimmed, inner line breaks as spaces.
std::string one_line(const char* text) {
    std::string out(common::trim_ascii(text ? text : ""));
    for (auto& c : out)
        if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    return out;
}

/// The server's notices ("relation already exists, skipping") go to the debug log, not to stderr.
void log_notice(void*, const char* message) { common::log_debug("PostgreSQL: " + one_line(message)); }

bool starts_with(const char* text, std::string_view prefix) {
    return text && std::strncmp(text, prefix.data(), prefix.size()) == 0;
}

/// Rows per FETCH of a scan's cursor.
constexpr int scan_batch_rows = 1000;

class postgresql_statement final : public statement_impl {
  public:
    /// What the statement is: run once, prepared for the cache, or a scan read through a cursor.
    enum class kind { once, persistent, scan };

    postgresql_statement(postgresql_connection& db, std::string_view sql, kind k) : db_(db), kind_(k) {
        const bool persistent = k == kind::persistent;
        auto rewritten = rewrite_parameters(sql);
        sql_ = std::move(rewritten.text);
        values_.resize(static_cast<std::size_t>(rewritten.parameters));
        // Typed by the server from their use; one that is not used is declared text.
        types_.assign(values_.size(), 0);
        for (std::size_t i = 0; i < types_.size(); ++i)
            if (i >= rewritten.used.size() || !rewritten.used[i]) types_[i] = text_type;
        if (persistent) {
            name_ = db_.next_statement_name();
            PGresult* r =
                PQprepare(db_.handle(), name_.c_str(), sql_.c_str(), rewritten.parameters, types_.data());
            if (!r || PQresultStatus(r) != PGRES_COMMAND_OK) db_.fail(r, "prepare " + sql_.substr(0, 300));
            PQclear(r);
        }
    }

    void bind_text(int index, std::string_view text) override { slot(index).emplace(text); }
    void bind_int(int index, std::int64_t value) override { slot(index).emplace(std::to_string(value)); }
    void bind_null(int index) override { slot(index).reset(); }

    bool step() override {
        if (!executed_) execute();
        if (row_ + 1 >= rows_ && more_) fetch();
        if (row_ + 1 >= rows_) {
            row_ = rows_;
            return false;
        }
        ++row_;
        return true;
    }

    ~postgresql_statement() override { end_own_transaction(); }

    void reset() override {
        end_own_transaction();
        executed_ = false;
        more_ = false;
        result_.reset();
        rows_ = 0;
        row_ = -1;
        for (auto& v : values_) v.reset();
    }

    std::string column_text(int col) const override {
        const char* p = PQgetvalue(result_.get(), row_, col);
        return std::string(p, static_cast<std::size_t>(PQgetlength(result_.get(), row_, col)));
    }

    /// Integers as text; a boolean ("t"/"f", what PostgreSQL gives for a comparison or EXISTS) as 1/0, as
    /// SQLite would; a numeric (SUM of integers) up to its decimal point.
    std::int64_t column_int(int col) const override {
        if (PQgetisnull(result_.get(), row_, col)) return 0;
        const char* p = PQgetvalue(result_.get(), row_, col);
        const auto n = static_cast<std::size_t>(PQgetlength(result_.get(), row_, col));
        if (n == 1 && (*p == 't' || *p == 'f')) return *p == 't' ? 1 : 0;
        std::int64_t value = 0;
        std::from_chars(p, p + n, value);
        return value;
    }

    bool column_is_null(int col) const override { return PQgetisnull(result_.get(), row_, col) != 0; }

  private:
    std::optional<std::string>& slot(int index) {
        if (index < 1 || static_cast<std::size_t>(index) > values_.size())
            throw database_error(
                0, false, "bind: no parameter " + std::to_string(index) + " in: " + sql_.substr(0, 200));
        return values_[static_cast<std::size_t>(index - 1)];
    }

    void execute() {
        executed_ = true;
        rows_ = 0;
        row_ = -1;
        if (sql_ == "COMMIT" || sql_ == "ROLLBACK") {
            if (db_.unbegun()) {
                db_.drop_pending();  // the transaction ran no statement: nothing to end on the server
                return;
            }
            if (sql_ == "ROLLBACK") db_.drop_pending();  // savepoints of what is undone change nothing
        } else if (db_.defer(sql_)) {
            return;
        }
        std::vector<const char*> values;
        values.reserve(values_.size());
        for (const auto& v : values_) values.push_back(v ? v->c_str() : nullptr);
        if (kind_ == kind::scan) {
            // A cursor of its own per run: it lives until the transaction ends, so a name is never reused
            // within one.
            cursor_ = "dirsync_scan_" + std::to_string(db_.next_cursor_number());
            // A cursor needs a transaction: a scan outside one reads in a read-only one of its own.
            if (!db_.in_transaction()) {
                db_.begin_read();
                owns_transaction_ = true;
            }
            PQclear(run(nullptr, "DECLARE " + cursor_ + " NO SCROLL CURSOR FOR " + sql_, values));
            more_ = true;
            fetch();
            return;
        }
        PGresult* r = run(name_.empty() ? nullptr : name_.c_str(), sql_, values);
        // A COMMIT of a transaction in which a statement failed (and was not rolled back to a savepoint)
        // ends it with ROLLBACK and no error: nothing was kept, which the caller must hear.
        if (sql_ == "COMMIT" && !starts_with(PQcmdStatus(r), "COMMIT")) {
            PQclear(r);
            throw database_error(0, false, "COMMIT: a statement of the transaction had failed; rolled back");
        }
        result_.reset(r);
        rows_ = PQntuples(r);
        row_ = -1;
        db_.count_changes(r);
    }

    /// Runs the prepared statement `prepared`, or `sql` when that is null, with `values` for the
    /// statement's parameters (typed as types_), sending what waits on the connection first (BEGIN and the
    /// writer's lock, savepoint commands); fails on an error.
    PGresult* run(const char* prepared, const std::string& sql, const std::vector<const char*>& values) {
        const int n = static_cast<int>(values.size());
        const Oid* types = n > 0 ? types_.data() : nullptr;
        PGresult* r = nullptr;
        if (db_.has_pending()) {
            db_.start_pending();
            const bool queued =
                (prepared ? PQsendQueryPrepared(db_.handle(), prepared, n, values.data(), nullptr, nullptr, 0)
                          : PQsendQueryParams(db_.handle(), sql.c_str(), n, types, values.data(), nullptr,
                                              nullptr, 0)) == 1;
            r = db_.finish_pending(queued);
        } else {
            r = prepared
                    ? PQexecPrepared(db_.handle(), prepared, n, values.data(), nullptr, nullptr, 0)
                    : PQexecParams(db_.handle(), sql.c_str(), n, types, values.data(), nullptr, nullptr, 0);
        }
        const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            db_.fail(r, prepared ? "step" : "run " + sql.substr(0, 300));
        return r;
    }

    /// Ends the read-only transaction a scan opened for its cursor, if it did.
    void end_own_transaction() noexcept {
        if (!owns_transaction_) return;
        owns_transaction_ = false;
        more_ = false;
        if (db_.unbegun()) {
            db_.drop_pending();
            return;
        }
        if (db_.broken()) return;
        PQclear(PQexec(db_.handle(), "ROLLBACK"));
    }

    /// The scan's next batch of rows; the cursor is done when a batch comes short.
    void fetch() {
        static const std::vector<const char*> none;
        result_.reset(
            run(nullptr, "FETCH FORWARD " + std::to_string(scan_batch_rows) + " FROM " + cursor_, none));
        rows_ = PQntuples(result_.get());
        row_ = -1;
        more_ = rows_ == scan_batch_rows;
    }

    postgresql_connection& db_;
    kind kind_;
    std::string sql_;
    std::string name_;               ///< of the prepared statement; empty: run unnamed, parsed at each run
    std::string cursor_;             ///< a scan's, while it runs
    bool more_ = false;              ///< a scan's cursor may have more rows
    bool owns_transaction_ = false;  ///< a scan began the read-only transaction its cursor lives in
    std::vector<std::optional<std::string>> values_;
    std::vector<Oid> types_;  ///< per parameter: 0 (inferred) or text_type
    result_ptr result_;
    bool executed_ = false;
    int rows_ = 0;
    int row_ = -1;
};

}  // namespace

rewritten_sql rewrite_parameters(std::string_view sql) {
    rewritten_sql out;
    out.text.reserve(sql.size() + 8);
    int next_bare = 0;
    for (std::size_t i = 0; i < sql.size();) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {  // a literal or a quoted identifier, doubled quotes inside
            std::size_t end = i + 1;
            while (end < sql.size()) {
                if (sql[end] == c) {
                    if (end + 1 < sql.size() && sql[end + 1] == c) {
                        end += 2;
                        continue;
                    }
                    break;
                }
                ++end;
            }
            end = std::min(end + 1, sql.size());
            out.text.append(sql.substr(i, end - i));
            i = end;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const auto end = std::min(sql.find('\n', i), sql.size());
            out.text.append(sql.substr(i, end - i));
            i = end;
        } else if (c == '?') {
            std::size_t end = i + 1;
            while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9') ++end;
            int number = 0;
            if (end == i + 1)
                number = ++next_bare;
            else
                std::from_chars(sql.data() + i + 1, sql.data() + end, number);
            out.text += '$';
            out.text += std::to_string(number);
            out.parameters = std::max(out.parameters, number);
            if (number > 0) {
                if (out.used.size() < static_cast<std::size_t>(number))
                    out.used.resize(static_cast<std::size_t>(number));
                out.used[static_cast<std::size_t>(number - 1)] = true;
            }
            i = end;
        } else {
            out.text += c;
            ++i;
        }
    }
    return out;
}

postgresql_connection::postgresql_connection(const postgresql_location& where, bool read_only) {
    std::vector<std::pair<std::string, std::string>> parameters = where.parameters;
    std::string options = "-c synchronous_commit=on -c TimeZone=UTC -c statement_timeout=" +
                          std::to_string(where.statement_timeout.count());
    if (read_only) options += " -c default_transaction_read_only=on";
    parameters.emplace_back("options", options);
    parameters.emplace_back("client_encoding", "UTF8");
    parameters.emplace_back("application_name", "dirsyncd");
    std::optional<std::string> password;
    if (where.password) password = where.password();
    if (password && !password->empty()) parameters.emplace_back("password", *password);
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : parameters) {
        keys.push_back(k.c_str());
        values.push_back(v.c_str());
    }
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
    if (password) std::fill(password->begin(), password->end(), '\0');
    for (auto& [k, v] : parameters)
        if (k == "password") std::fill(v.begin(), v.end(), '\0');
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
        const std::string msg = "cannot connect to PostgreSQL " + where.description + ": " +
                                (conn_ ? one_line(PQerrorMessage(conn_)) : "out of memory");
        PQfinish(conn_);
        conn_ = nullptr;
        throw database_unreachable(msg);
    }
    PQsetNoticeProcessor(conn_, log_notice, nullptr);
}

postgresql_connection::~postgresql_connection() {
    drop_statements();
    PQfinish(conn_);
}

void postgresql_connection::fail(PGresult* result, std::string_view what) {
    result_ptr owned(result);
    std::string msg(what);
    msg += ": ";
    const auto text = one_line(result ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    msg += text.empty() ? "unknown error" : text;
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    if (PQstatus(conn_) != CONNECTION_OK || starts_with(state, "08") || starts_with(state, "57P"))
        throw database_unreachable(msg);
    if (starts_with(state, "53100")) throw storage_full(msg);
    if (state) {
        msg += " (SQLSTATE ";
        msg += state;
        msg += ')';
    }
    throw database_error(0, starts_with(state, "23"), msg);
}

void postgresql_connection::count_changes(const PGresult* result) noexcept {
    const char* status = PQcmdStatus(const_cast<PGresult*>(result));
    if (!starts_with(status, "INSERT") && !starts_with(status, "UPDATE") && !starts_with(status, "DELETE"))
        return;
    int n = 0;
    const char* tuples = PQcmdTuples(const_cast<PGresult*>(result));
    std::from_chars(tuples, tuples + std::strlen(tuples), n);
    changes_ = n;
    total_changes_ += n;
}

void postgresql_connection::start_pending() {
    bool queued = PQenterPipelineMode(conn_) == 1;
    for (const auto& command : pending_)
        queued = queued &&
                 PQsendQueryParams(conn_, command.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
    if (!queued) {
        drop_pending();
        broken_ = true;
        fail(nullptr, "send");
    }
}

PGresult* postgresql_connection::finish_pending(bool queued_by_caller) {
    const std::size_t commands = pending_.size() + (queued_by_caller ? 1 : 0);
    drop_pending();
    if (PQpipelineStatus(conn_) != PQ_PIPELINE_ON || PQpipelineSync(conn_) != 1) {
        broken_ = true;
        fail(nullptr, "send");
    }
    // Each command answers with its result then a null; a command after a failed one is PIPELINE_ABORTED.
    result_ptr failure, last;
    for (std::size_t i = 0; i < commands; ++i) {
        result_ptr r(PQgetResult(conn_));
        if (!r) {
            broken_ = true;
            fail(nullptr, "pipeline");
        }
        while (PGresult* extra = PQgetResult(conn_)) PQclear(extra);
        const auto status = PQresultStatus(r.get());
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            last = std::move(r);  // what waited changes no rows; the caller counts its own
        } else if (!failure && status != PGRES_PIPELINE_ABORTED) {
            failure = std::move(r);
        }
    }
    result_ptr sync(PQgetResult(conn_));
    if (!sync || PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC || PQexitPipelineMode(conn_) != 1) {
        broken_ = true;
        fail(failure.release(), "pipeline");
    }
    if (failure) fail(failure.release(), "run");
    return queued_by_caller ? last.release() : nullptr;
}

void postgresql_connection::exec(std::string_view sql) {
    if (has_pending()) {  // what waits first, on its own
        start_pending();
        finish_pending(false);
    }
    const std::string text(sql);
    PGresult* r = PQexec(conn_, text.c_str());
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) fail(r, "SQL failed");
    count_changes(r);
    PQclear(r);
}

std::unique_ptr<statement_impl> postgresql_connection::prepare(std::string_view sql, bool persistent) {
    return std::make_unique<postgresql_statement>(
        *this, sql, persistent ? postgresql_statement::kind::persistent : postgresql_statement::kind::once);
}

std::unique_ptr<statement_impl> postgresql_connection::prepare_scan(std::string_view sql) {
    return std::make_unique<postgresql_statement>(*this, sql, postgresql_statement::kind::scan);
}

std::int64_t postgresql_connection::last_insert_rowid() {
    auto s = cached("SELECT lastval()");
    s->step();
    return s->column_int(0);
}

void postgresql_connection::begin_write() {
    pending_ = {"BEGIN", writer_lock_sql};
    unbegun_ = true;
}

void postgresql_connection::begin_read() {
    pending_ = {"BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"};
    unbegun_ = true;
}

bool postgresql_connection::defer(std::string_view sql) {
    if (!sql.starts_with("SAVEPOINT ") && !sql.starts_with("RELEASE ") && !sql.starts_with("ROLLBACK TO "))
        return false;
    if (!in_transaction()) return false;
    pending_.emplace_back(sql);
    return true;
}

bool postgresql_connection::in_transaction() const noexcept {
    if (has_pending()) return true;
    const auto s = PQtransactionStatus(conn_);
    return s == PQTRANS_INTRANS || s == PQTRANS_INERROR || s == PQTRANS_ACTIVE;
}

bool postgresql_connection::broken() const noexcept { return broken_ || PQstatus(conn_) != CONNECTION_OK; }

}  // namespace dirsync::store
