-- Run by a headless Neovim after the init.lua under test has opened the
-- file given on the command line: waits for the language server's
-- diagnostics for the current buffer and writes what vim.diagnostic.get()
-- holds to $NVIM_OUT, one a line (1-based line and column, as the user sees
-- them):
--
--   CLIENT <name>                        each LSP client attached to the buffer
--   DIAG <line>:<col> <severity> <source> <code> <first line of message>
--
-- or NO-DIAGNOSTICS, and TIMEOUT when none came within $NVIM_WAIT_MS
-- (default 120000). Works with Neovim 0.7 and later.
local out = assert(os.getenv('NVIM_OUT'), 'NVIM_OUT is not set')
local wait_ms = tonumber(os.getenv('NVIM_WAIT_MS') or '') or 120000
local buf = vim.api.nvim_get_current_buf()
local lines = {}

local got = vim.wait(wait_ms, function()
  return #vim.diagnostic.get(buf) > 0
end, 100)
if not got then
  table.insert(lines, 'TIMEOUT: no diagnostics in ' .. wait_ms .. ' ms')
end
for _, client in pairs(vim.lsp.buf_get_clients(buf)) do
  table.insert(lines, 'CLIENT ' .. client.name)
end
local severity = { 'ERROR', 'WARN', 'INFO', 'HINT' }
local diags = vim.diagnostic.get(buf)
table.sort(diags, function(a, b)
  if a.lnum ~= b.lnum then return a.lnum < b.lnum end
  return a.col < b.col
end)
for _, d in ipairs(diags) do
  table.insert(lines, string.format('DIAG %d:%d %s %s %s %s', d.lnum + 1, d.col + 1,
    severity[d.severity] or tostring(d.severity), d.source or '-',
    d.code or '-', (d.message:gsub('\n.*', ''))))
end
if #diags == 0 then
  table.insert(lines, 'NO-DIAGNOSTICS')
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(vim.lsp.get_active_clients(), true)
vim.cmd('qall!')
