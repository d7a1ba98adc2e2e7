-- haproxy-ws-echo.lua — a WebSocket echo service inside HAProxy, for bench-admin.sh.
--
-- bench-admin.sh holds 10,000 WSS sessions on gatehoused's own echo service; HAProxy
-- proxying them to a back-end would need two file descriptors per session, and this
-- machine allows 20,000 per process (the hard limit of the build root). So HAProxy
-- terminates TLS and answers the echo itself, like gatehoused's echo service: one
-- stream per session in `show sess`, one descriptor. RFC 6455 server side, enough for
-- ws-load: the upgrade, binary/text frames (unmasked, echoed), ping, close.
core.register_service("wsecho", "tcp", function(applet)
  local key
  while true do
    local line = applet:getline()
    if line == nil or line == "" then return end
    line = line:gsub("\r?\n$", "")
    if line == "" then break end
    local name, value = line:match("^([^:]+):%s*(.-)%s*$")
    if name and name:lower() == "sec-websocket-key" then key = value end
  end
  if key == nil then
    applet:send("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    return
  end
  local accept = applet.c:base64(applet.c:sha1(key .. "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
  applet:send("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" ..
              "Sec-WebSocket-Accept: " .. accept .. "\r\n\r\n")

  local function recv(n)
    local data = ""
    while #data < n do
      local chunk = applet:receive(n - #data)
      if chunk == nil or chunk == "" then return nil end
      data = data .. chunk
    end
    return data
  end

  local function frame(opcode, payload)
    local n = #payload
    if n < 126 then
      return string.pack(">BB", 0x80 | opcode, n) .. payload
    elseif n < 65536 then
      return string.pack(">BBI2", 0x80 | opcode, 126, n) .. payload
    end
    return string.pack(">BBI8", 0x80 | opcode, 127, n) .. payload
  end

  while true do
    local head = recv(2)
    if head == nil then return end
    local b1, b2 = string.unpack(">BB", head)
    local opcode, masked, n = b1 & 0x0f, (b2 & 0x80) ~= 0, b2 & 0x7f
    if n == 126 then n = string.unpack(">I2", recv(2) or "\0\0")
    elseif n == 127 then n = string.unpack(">I8", recv(8) or string.rep("\0", 8)) end
    local mask = masked and recv(4) or nil
    local payload = n > 0 and recv(n) or ""
    if payload == nil then return end
    if mask then
      local m = { mask:byte(1, 4) }
      local out = {}
      for i = 1, #payload do
        out[i] = string.char(payload:byte(i) ~ m[(i - 1) % 4 + 1])
      end
      payload = table.concat(out)
    end
    if opcode == 0x8 then
      applet:send(frame(0x8, payload:sub(1, 2)))
      return
    elseif opcode == 0x9 then
      applet:send(frame(0xA, payload))
    elseif opcode == 0x1 or opcode == 0x2 or opcode == 0x0 then
      applet:send(frame(opcode, payload))
    end
  end
end)
