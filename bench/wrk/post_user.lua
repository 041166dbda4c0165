-- wrk script for bench/scim_http.sh MODE post: every request is POST /scim/v2/Users with a userName no other
-- request (of any wrk thread, or of an earlier run on the same database) has used. Several wrk processes at
-- once set BENCH_PREFIX apart.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/scim+json"

local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

local prefix
local counter = 0

function init(args)
    prefix = "wrk-" .. (os.getenv("BENCH_PREFIX") or "") .. os.time() .. "-" .. tostring(tid or 0) .. "-"
end

function request()
    counter = counter + 1
    local name = prefix .. counter .. "@bench.example"
    local body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"' .. name ..
        '","active":true,"name":{"givenName":"Bench","familyName":"User' .. counter ..
        '"},"emails":[{"value":"' .. name .. '","type":"work","primary":true}]}'
    return wrk.format(nil, nil, nil, body)
end
