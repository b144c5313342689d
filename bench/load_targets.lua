-- wrk script of the load benchmark (bench/load_benchmark.py): requests go round-robin over the targets in
-- the file named after `--`, one a line: a path, a tab, and the Cookie header of a logged-in user.
-- Every answer other than 200 is counted (wrk itself counts a redirect to the login page as a success),
-- and done() prints the total as "Non-200 responses: N".

local targets = {}
local threads = {}
local counter = 0

local function load(file)
  local list = {}
  for line in io.lines(file) do
    local path, cookie = line:match("^([^\t]+)\t(.*)$")
    if path then
      list[#list + 1] = { path = path, cookie = cookie }
    end
  end
  return list
end

function setup(thread)
  counter = counter + 1
  thread:set("thread_index", counter)
  threads[#threads + 1] = thread
end

function init(args)
  targets = load(args[1])
  if #targets == 0 then
    error("no targets in " .. tostring(args[1]))
  end
  -- Threads start at different targets so that the connections spread over users and hazards.
  next_index = (thread_index - 1) * 7
  non200 = 0
  prepared = {}
  for i, target in ipairs(targets) do
    local headers = { ["X-Forwarded-Proto"] = "https" }
    if target.cookie ~= "" then
      headers["Cookie"] = target.cookie
    end
    prepared[i] = wrk.format("GET", target.path, headers)
  end
end

function request()
  next_index = next_index % #prepared + 1
  return prepared[next_index]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("non200") or 0)
  end
  io.write(string.format("Non-200 responses: %d\n", total))
end
