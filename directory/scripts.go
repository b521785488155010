package directory

import "github.com/redis/go-redis/v9"

// The Lua scripts below are where seat counts change: Redis runs each one
// atomically, so two quick plays on two nodes never both take the last
// seat. Every key sits under the directory's prefix, whose {hash tag}
// keeps them in one slot of a Redis Cluster. KEYS[1] is always the
// prefix's seq key, declared so that a cluster routes the call to that
// slot; the other keys are built from ARGV[1], the prefix.
//
// A room's free seats are max - seated - live reservations: seated is what
// its node counted in, a reservation a seat promised to a client on its
// way from another node, which lapses at its expiry if never honoured.

// luaCommon defines the helpers every script uses.
const luaCommon = `
local p = ARGV[1]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function alive(node)
  local h = redis.call('HMGET', p .. 'node:' .. node, 'url', 'draining')
  return h[1], h[2] == '1'
end
local function used(id, r)
  local rk = p .. 'room:' .. id .. ':resv'
  redis.call('ZREMRANGEBYSCORE', rk, '-inf', now)
  return tonumber(r.seated) + redis.call('ZCARD', rk)
end
-- release takes holder's earlier reservation, kept as "room reservation"
-- under its holder key, out of its room: a holder keeps one, and asking
-- again gives the earlier one up before the seats are counted, so that
-- it does not count against itself.
local function release(holder)
  if holder == '' then return end
  local hk = p .. 'holder:' .. holder
  local prev = redis.call('GET', hk)
  if prev then
    local pr, pv = string.match(prev, '^(%S+) (%S+)$')
    if pr then redis.call('ZREM', p .. 'room:' .. pr .. ':resv', pv) end
    redis.call('DEL', hk)
  end
end
-- take seats a player in room id: here, or with a reservation resv for
-- ttl ms on its node, which becomes holder's one (release first).
local function take(id, node, self, resv, ttl, holder)
  if node == self then
    redis.call('HINCRBY', p .. 'room:' .. id, 'seated', 1)
    return ''
  end
  if holder ~= '' then
    redis.call('SET', p .. 'holder:' .. holder, id .. ' ' .. resv, 'PX', ttl)
  end
  local rk = p .. 'room:' .. id .. ':resv'
  redis.call('ZADD', rk, now + ttl, resv)
  redis.call('PEXPIRE', rk, ttl * 2)
  return resv
end
-- dropRooms takes node n's rooms out of the directory (with seatedOnly,
-- only those with players seated) and appends {room id, mode, node} for
-- each to out.
local function dropRooms(n, out, seatedOnly)
  for _, id in ipairs(redis.call('SMEMBERS', p .. 'noderooms:' .. n)) do
    local key = p .. 'room:' .. id
    local h = redis.call('HMGET', key, 'mode', 'code', 'seated')
    -- With seatedOnly, a placement waiting for its first player stays: the
    -- node opens it then.
    if not (h[1] and seatedOnly and tonumber(h[3] or '0') == 0) then
      if h[1] then
        redis.call('DEL', key, key .. ':resv')
        redis.call('ZREM', p .. 'rooms', id)
        redis.call('ZREM', p .. 'open:' .. h[1], id)
        if redis.call('GET', p .. 'code:' .. h[2]) == id then redis.call('DEL', p .. 'code:' .. h[2]) end
        table.insert(out, id)
        table.insert(out, h[1])
        table.insert(out, n)
      end
      redis.call('SREM', p .. 'noderooms:' .. n, id)
    end
  end
end
local function room(id)
  local h = redis.call('HMGET', p .. 'room:' .. id, 'node', 'seated', 'max', 'phase', 'private', 'custom', 'mode')
  if not h[1] then return nil end
  return {node = h[1], seated = h[2], max = tonumber(h[3]), phase = h[4], private = h[5] == '1', custom = h[6] == '1', mode = h[7]}
end
`

// quickPlayScript: ARGV prefix, mode, self, reservation id, ttl ms, then
// the new room's id, code, max players, private and custom flags, then
// the holder. It
// returns {room id, node, url, reservation, opened} or an error reply.
var quickPlayScript = redis.NewScript(luaCommon + `
local mode, self, resv, ttl = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
release(ARGV[11])
local open = p .. 'open:' .. mode
for _, id in ipairs(redis.call('ZRANGE', open, 0, -1)) do
  local r = room(id)
  if not r then
    redis.call('ZREM', open, id)
  else
    local url, draining = alive(r.node)
    if url and not draining and r.phase ~= 'ended' and used(id, r) < r.max then
      return {id, r.node, url, take(id, r.node, self, resv, ttl, ARGV[11]), '0'}
    end
  end
end
-- No free seat: place a new room on the live node with the fewest seats.
local best, bestLoad, bestURL = nil, nil, nil
for _, n in ipairs(redis.call('ZRANGE', p .. 'nodes', 0, -1)) do
  local h = redis.call('HMGET', p .. 'node:' .. n, 'url', 'draining', 'maxrooms')
  local ids = redis.call('SMEMBERS', p .. 'noderooms:' .. n)
  local cap = tonumber(h[3] or '0') or 0
  if h[1] and h[2] ~= '1' and (cap == 0 or #ids < cap) then
    local load = 0
    for _, id in ipairs(ids) do
      local r = room(id)
      if r then load = load + used(id, r) end
    end
    if best == nil or load < bestLoad or (load == bestLoad and n == self) then
      best, bestLoad, bestURL = n, load, h[1]
    end
  end
end
if not best then return redis.error_reply('NONODE no live node takes new rooms') end
local id, code = ARGV[6], ARGV[7]
if redis.call('SET', p .. 'code:' .. code, id, 'NX') == false then
  return redis.error_reply('CODETAKEN join code in use')
end
local seq = redis.call('INCR', KEYS[1])
redis.call('HSET', p .. 'room:' .. id, 'node', best, 'mode', mode, 'code', code, 'phase', 'waiting',
  'seated', 0, 'max', ARGV[8], 'private', ARGV[9], 'custom', ARGV[10], 'created', now, 'seq', seq)
redis.call('SADD', p .. 'noderooms:' .. best, id)
redis.call('ZADD', p .. 'rooms', seq, id)
redis.call('ZADD', open, seq, id)
return {id, best, bestURL, take(id, best, self, resv, ttl, ARGV[11]), '1'}
`)

// reserveScript: ARGV prefix, room id (or ""), join code, self,
// reservation id, ttl ms, holder. It returns {room id, node, url, reservation} or
// an error reply.
var reserveScript = redis.NewScript(luaCommon + `
local id, code, self, resv, ttl = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
release(ARGV[7])
local byCode = id == ''
if byCode then
  id = redis.call('GET', p .. 'code:' .. code)
  if not id then return redis.error_reply('NOROOM unknown join code') end
end
local r = room(id)
if not r or r.phase == 'ended' or (r.private and not byCode) then
  return redis.error_reply('NOROOM unknown room')
end
local url = alive(r.node)
if not url then return redis.error_reply('NOROOM the room\'s node is gone') end
local n = used(id, r)
if n >= r.max then return redis.error_reply('FULL ' .. n .. ' of ' .. r.max .. ' seats taken') end
return {id, r.node, url, take(id, r.node, self, resv, ttl, ARGV[7])}
`)

// honourScript: ARGV prefix, room id, self, reservation. It returns 1 when
// the reservation was live and is now a seat of the room, 0 for a room
// that is not this node's, -1 for a reservation unknown, lapsed or used.
var honourScript = redis.NewScript(luaCommon + `
local id, self, resv = ARGV[2], ARGV[3], ARGV[4]
local r = room(id)
if not r or r.node ~= self then return 0 end
local rk = p .. 'room:' .. id .. ':resv'
redis.call('ZREMRANGEBYSCORE', rk, '-inf', now)
if redis.call('ZREM', rk, resv) == 0 then return -1 end
redis.call('HINCRBY', p .. 'room:' .. id, 'seated', 1)
return 1
`)

// registerScript: ARGV prefix, room id, node, mode, code, phase, seated,
// max, private, custom, created ms. It records a room as its node runs it
// now, keeping its place in the order when it has one.
var registerScript = redis.NewScript(luaCommon + `
local id, node, mode, code = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
local key = p .. 'room:' .. id
local seq = redis.call('HGET', key, 'seq')
if not seq then seq = redis.call('INCR', KEYS[1]) end
local holder = redis.call('GET', p .. 'code:' .. code)
if holder and holder ~= id then return redis.error_reply('CODETAKEN join code in use') end
redis.call('SET', p .. 'code:' .. code, id)
redis.call('HSET', key, 'node', node, 'mode', mode, 'code', code, 'phase', ARGV[6], 'seated', ARGV[7],
  'max', ARGV[8], 'private', ARGV[9], 'custom', ARGV[10], 'created', ARGV[11], 'seq', seq)
redis.call('SADD', p .. 'noderooms:' .. node, id)
redis.call('ZADD', p .. 'rooms', seq, id)
if ARGV[9] ~= '1' and ARGV[10] ~= '1' then redis.call('ZADD', p .. 'open:' .. mode, seq, id) end
return seq
`)

// claimScript: ARGV prefix, node id, url, token, ttl ms. A starting node
// claims its id: unless the id's record names another url, it takes out
// the rooms with players left under the id (a starting node runs none
// yet, so they are a dead process's; placements still waiting for their
// first player stay, for this node to open), writes the url and the
// node's token with a fresh TTL, and returns {'claimed', room id, mode,
// node, ...}; otherwise it returns {'taken', url, the record's PTTL}.
var claimScript = redis.NewScript(luaCommon + `
local key = p .. 'node:' .. ARGV[2]
local url = redis.call('HGET', key, 'url')
if url and url ~= ARGV[3] then return {'taken', url, tostring(redis.call('PTTL', key))} end
local out = {'claimed'}
dropRooms(ARGV[2], out, true)
redis.call('HSET', key, 'url', ARGV[3], 'token', ARGV[4])
redis.call('PEXPIRE', key, ARGV[5])
return out
`)

// renewScript: ARGV prefix, node id, token, url, draining, maxrooms,
// players, rooms, ttl ms. The heartbeat: it rewrites the node's record
// with a fresh TTL and returns {'renewed', '1'} when the record was there,
// {'renewed', '0'} when it had lapsed; unless another node's token holds
// the id (it claimed the id while this node was silent past the TTL),
// when it writes nothing and returns {'taken', url}.
var renewScript = redis.NewScript(luaCommon + `
local key = p .. 'node:' .. ARGV[2]
local h = redis.call('HMGET', key, 'url', 'token')
if h[2] and h[2] ~= ARGV[3] then return {'taken', h[1] or ''} end
local existed = '0'
if h[1] then existed = '1' end
redis.call('HSET', key, 'url', ARGV[4], 'token', ARGV[3], 'draining', ARGV[5], 'maxrooms', ARGV[6],
  'players', ARGV[7], 'rooms', ARGV[8])
redis.call('PEXPIRE', key, ARGV[9])
redis.call('ZADD', p .. 'nodes', now, ARGV[2])
return {'renewed', existed}
`)

// releaseScript: ARGV prefix, node id, token. A leaving node deletes its
// record and takes its rooms out, and it returns {'released', room id,
// mode, node, ...}; unless another node's token holds the id (it claimed
// the id while this node was silent), when it returns {'kept'}.
var releaseScript = redis.NewScript(luaCommon + `
local key = p .. 'node:' .. ARGV[2]
local t = redis.call('HGET', key, 'token')
if t and t ~= ARGV[3] then return {'kept'} end
redis.call('DEL', key)
local out = {'released'}
dropRooms(ARGV[2], out, false)
redis.call('ZREM', p .. 'nodes', ARGV[2])
return out
`)

// phaseScript: ARGV prefix, room id, phase. It never recreates a room
// that is gone, nor changes the phase of one that ended: a phase change
// written late (the lobby's notifier runs behind the room) must not make
// an ended room look open again.
var phaseScript = redis.NewScript(luaCommon + `
local key = p .. 'room:' .. ARGV[2]
local cur = redis.call('HGET', key, 'phase')
if not cur or cur == 'ended' then return 0 end
redis.call('HSET', key, 'phase', ARGV[3])
return 1
`)

// freeScript: ARGV prefix, room id. One seat back, never below zero.
var freeScript = redis.NewScript(luaCommon + `
local key = p .. 'room:' .. ARGV[2]
local n = tonumber(redis.call('HGET', key, 'seated') or '0')
if n > 0 then redis.call('HINCRBY', key, 'seated', -1) end
return n
`)

// closeScript: ARGV prefix, room id. It returns the room's mode, or false
// when it was gone already.
var closeScript = redis.NewScript(luaCommon + `
local id = ARGV[2]
local key = p .. 'room:' .. id
local h = redis.call('HMGET', key, 'node', 'mode', 'code')
if not h[1] then return false end
redis.call('DEL', key, key .. ':resv')
redis.call('SREM', p .. 'noderooms:' .. h[1], id)
redis.call('ZREM', p .. 'rooms', id)
redis.call('ZREM', p .. 'open:' .. h[2], id)
if redis.call('GET', p .. 'code:' .. h[3]) == id then redis.call('DEL', p .. 'code:' .. h[3]) end
return h[2]
`)

// reapScript: ARGV prefix, grace ms. It takes the nodes whose heartbeat
// key expired and whose last heartbeat is older than the grace out of the
// directory with their rooms, and returns {room id, mode, node} triples of
// the rooms it removed. Only the first node to run it after a death sees
// those rooms, so their closing is relayed once. Listings and placements
// leave out a node as soon as its key expires; the grace only delays the
// deletion, so that a node merely paused past its TTL (a loaded machine)
// finds its rooms still there, reservations and all, when it beats again.
var reapScript = redis.NewScript(luaCommon + `
local out = {}
local dead = redis.call('ZRANGEBYSCORE', p .. 'nodes', '-inf', now - tonumber(ARGV[2]))
for _, n in ipairs(dead) do
  if redis.call('EXISTS', p .. 'node:' .. n) == 0 then
    dropRooms(n, out, false)
    redis.call('ZREM', p .. 'nodes', n)
  end
end
return out
`)

// roomsScript: ARGV prefix. It returns the rooms of live nodes in order,
// each as {id, node, mode, code, phase, used, max, private, custom,
// created, seq}.
var roomsScript = redis.NewScript(luaCommon + `
local out = {}
local live = {}
for _, id in ipairs(redis.call('ZRANGE', p .. 'rooms', 0, -1)) do
  local h = redis.call('HMGET', p .. 'room:' .. id, 'node', 'mode', 'code', 'phase', 'seated', 'max', 'private', 'custom', 'created', 'seq')
  if h[1] then
    if live[h[1]] == nil then live[h[1]] = redis.call('EXISTS', p .. 'node:' .. h[1]) == 1 end
    if live[h[1]] then
      local n = used(id, {seated = h[5]})
      table.insert(out, {id, h[1], h[2], h[3], h[4], tostring(n), h[6], h[7], h[8], h[9], h[10]})
    end
  end
end
return out
`)
