-- wrk script for bench/scim_http.sh MODE patch-member: every request is one single-member PATCH on one group.
-- Environment:
--   BENCH_GROUP        the group's id (the URL must be .../scim/v2/Groups/<id>)
--   BENCH_IDS          a file of user ids, one per line; request n uses line n (wrapping at the end)
--   BENCH_OP           add:    {"op":"add","path":"members","value":[{"value":"<id>"}]}
--                      remove: {"op":"remove","path":"members[value eq \"<id>\"]"}
--   BENCH_WRK_THREADS  wrk's -t (default 1): thread k takes lines k, k+T, k+2T, ...
-- done() prints how many requests wrapped around the file (those re-add or re-remove: not representative).
wrk.method = "PATCH"
wrk.headers["Content-Type"] = "application/scim+json"

local op = os.getenv("BENCH_OP") or "add"
local stride = tonumber(os.getenv("BENCH_WRK_THREADS") or "1")
local threads = {}

function setup(thread)
    thread:set("tid", #threads)
    table.insert(threads, thread)
end

local ids = {}
local next_line
wrapped_requests = 0  -- a global, so that done() can read it with thread:get

function init(args)
    for line in io.lines(os.getenv("BENCH_IDS")) do
        if line ~= "" then ids[#ids + 1] = line end
    end
    next_line = (tid or 0) + 1
end

local wrapped = false
-- wrk 4 calls request() once before the run to check the script, and does not send that request: the first
-- call does not advance, so that the first request sent uses line 1.
local checked = false

function request()
    if next_line > #ids then
        next_line = (tid or 0) + 1
        wrapped = true
    end
    if wrapped then wrapped_requests = wrapped_requests + 1 end
    local id = ids[next_line]
    if checked then next_line = next_line + stride else checked = true end
    local operation
    if op == "add" then
        operation = '{"op":"add","path":"members","value":[{"value":"' .. id .. '"}]}'
    else
        operation = '{"op":"remove","path":"members[value eq \\"' .. id .. '\\"]"}'
    end
    return wrk.format(nil, nil, nil,
        '{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[' .. operation .. ']}')
end

function done(summary, latency, requests)
    local total = 0
    for _, t in ipairs(threads) do total = total + (t:get("wrapped_requests") or 0) end
    io.write(string.format("patch_member: op=%s wrapped_requests=%d\n", op, total))
end
