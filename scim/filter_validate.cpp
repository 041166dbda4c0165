#include <vector>

#include "common/ascii.hpp"
#include "common/clock.hpp"
#include "resource/json_lookup.hpp"
#include "scim/filter.hpp"

namespace dirsync::scim {

namespace {

using result = boost::system::result<void, filter_error>;

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

class validator {
  public:
    validator(const filter& f, const resource::resource_schema& schema, bool strict)
        : f_(f), schema_(schema), strict_(strict) {}

    result run() {
        struct item {
            node_index node;
            const resource::attribute*
                parent;  // value scope: the multi-valued attribute (nullptr when unknown)
            bool value_scope;
        };
        std::vector<item> stack{{f_.root(), nullptr, false}};
        while (!stack.empty()) {
            const item it = stack.back();
            stack.pop_back();
            const filter_node& n = f_.node(it.node);
            const std::size_t at = f_.position(it.node);
            if (const auto* l = std::get_if<logical_node>(&n)) {
                stack.push_back({l->rhs, it.parent, it.value_scope});
                stack.push_back({l->lhs, it.parent, it.value_scope});
            } else if (const auto* neg = std::get_if<negation_node>(&n)) {
                stack.push_back({neg->child, it.parent, it.value_scope});
            } else if (const auto* p = std::get_if<presence_node>(&n)) {
                if (auto r = resolve(p->path, it.parent, it.value_scope, at); !r) return r.error();
            } else if (const auto* c = std::get_if<comparison_node>(&n)) {
                auto r = resolve(c->path, it.parent, it.value_scope, at);
                if (!r) return r.error();
                if (auto v = check_comparison(*c, *r, at); !v) return v;
            } else {
                const auto& vp = std::get<value_path_node>(n);
                auto r = resolve(vp.path, it.parent, it.value_scope, at);
                if (!r) return r.error();
                const resource::attribute* a = *r;
                if (a != nullptr && a->type != resource::attribute_type::complex && !a->multi_valued)
                    return error(at, "a value filter needs a multi-valued or complex attribute; " +
                                         in_quotes(vp.path.to_string()) + " is neither");
                if (vp.tail) {
                    stack.push_back({*vp.tail, a, true});
                } else if (!vp.sub_attribute.empty()) {
                    if (auto s = resolve(attribute_path{{}, vp.sub_attribute, {}}, a, true, at); !s)
                        return s.error();
                }
                stack.push_back({vp.inner, a, true});
            }
        }
        return {};
    }

  private:
    static filter_error error(std::size_t at, std::string what) {
        return filter_error{at, what + " at position " + std::to_string(at)};
    }

    /// The definition the path names (nullptr when unknown and not strict), or an error.
    boost::system::result<const resource::attribute*, filter_error> resolve(const attribute_path& p,
                                                                            const resource::attribute* parent,
                                                                            bool value_scope,
                                                                            std::size_t at) const {
        const resource::attribute* top = nullptr;
        const resource::attribute* leaf = nullptr;
        if (value_scope) {
            if (parent == nullptr) return static_cast<const resource::attribute*>(nullptr);
            top = parent->find_sub_attribute(p.attribute);
            if (top == nullptr) {
                if (parent->type != resource::attribute_type::complex &&
                    common::iequals_ascii(p.attribute, "value"))
                    return parent;  // a simple multi-valued attribute's values answer to "value"
                if (strict_)
                    return error(at, "unknown sub-attribute " + in_quotes(p.attribute) + " of " +
                                         in_quotes(parent->name));
                return static_cast<const resource::attribute*>(nullptr);
            }
        } else {
            if (!p.schema_urn.empty() && schema_.find_schema(p.schema_urn) == nullptr) {
                if (strict_) return error(at, "unknown schema " + in_quotes(p.schema_urn));
                return static_cast<const resource::attribute*>(nullptr);
            }
            top = schema_.find(p.schema_urn, p.attribute).top;
            if (top == nullptr) {
                if (strict_) return error(at, "unknown attribute " + in_quotes(p.to_string()));
                return static_cast<const resource::attribute*>(nullptr);
            }
        }
        leaf = top;
        if (!p.sub_attribute.empty()) {
            if (top->type != resource::attribute_type::complex)
                return error(at, "attribute " + in_quotes(top->name) + " has no sub-attributes");
            leaf = top->find_sub_attribute(p.sub_attribute);
            if (leaf == nullptr) {
                if (strict_) return error(at, "unknown sub-attribute " + in_quotes(p.to_string()));
                return static_cast<const resource::attribute*>(nullptr);
            }
        }
        if (top->returned == resource::returned::never || leaf->returned == resource::returned::never)
            return error(at, "attribute " + in_quotes(p.to_string()) + " cannot be used in a filter");
        return leaf;
    }

    result check_comparison(const comparison_node& c, const resource::attribute* def, std::size_t at) const {
        const std::string op{to_string(c.op)};
        const std::string name = c.path.to_string();
        if (c.value.is_null()) {
            if (c.op == compare_op::eq || c.op == compare_op::ne) return {};
            return error(at, "operator " + in_quotes(op) + " cannot compare with null");
        }
        if (def == nullptr) return {};
        if (def->type == resource::attribute_type::complex) {
            // `emails eq "x"` compares emails.value; a complex attribute without "value" cannot be compared.
            def = def->find_sub_attribute("value");
            if (def == nullptr)
                return error(at, "complex attribute " + in_quotes(name) +
                                     " cannot be compared; name one of its sub-attributes");
        }
        const bool ordering = c.op == compare_op::gt || c.op == compare_op::ge || c.op == compare_op::lt ||
                              c.op == compare_op::le;
        const bool substring = c.op == compare_op::co || c.op == compare_op::sw || c.op == compare_op::ew;
        switch (def->type) {
            case resource::attribute_type::string:
            case resource::attribute_type::reference:
                if (!c.value.is_string())
                    return error(
                        at, "attribute " + in_quotes(name) + " is a string; compare it with a quoted string");
                return {};
            case resource::attribute_type::binary:
                if (ordering)
                    return error(at, "operator " + in_quotes(op) + " is not defined for binary attribute " +
                                         in_quotes(name));
                if (!c.value.is_string())
                    return error(
                        at, "attribute " + in_quotes(name) + " is binary; compare it with a quoted string");
                return {};
            case resource::attribute_type::boolean:
                if (ordering || substring)
                    return error(at, "operator " + in_quotes(op) + " is not defined for boolean attribute " +
                                         in_quotes(name));
                if (!resource::json_boolean(c.value))
                    return error(
                        at, "attribute " + in_quotes(name) + " is a boolean; compare it with true or false");
                return {};
            case resource::attribute_type::integer:
            case resource::attribute_type::decimal:
                if (substring)
                    return error(at, "operator " + in_quotes(op) + " is not defined for numeric attribute " +
                                         in_quotes(name));
                if (!c.value.is_number())
                    return error(at,
                                 "attribute " + in_quotes(name) + " is a number; compare it with a number");
                return {};
            case resource::attribute_type::date_time:
                if (!c.value.is_string())
                    return error(at, "attribute " + in_quotes(name) +
                                         " is a dateTime; compare it with a quoted string");
                if (!substring && !common::parse_rfc3339(c.value.get_ref<const std::string&>()))
                    return error(at, "value for dateTime attribute " + in_quotes(name) +
                                         " is not an RFC 3339 date-time such as \"2011-05-13T04:42:34Z\"");
                return {};
            case resource::attribute_type::complex:
                break;
        }
        return error(at, "complex attribute " + in_quotes(name) + " cannot be compared");
    }

    const filter& f_;
    const resource::resource_schema& schema_;
    bool strict_;
};

}  // namespace

boost::system::result<void, filter_error> validate_filter(const filter& f,
                                                          const resource::resource_schema& schema,
                                                          bool strict) {
    if (f.empty()) return {};
    return validator{f, schema, strict}.run();
}

}  // namespace dirsync::scim
