" Drives the real ALE (Debian vim-ale) in a headless Vim started with the
" ~/.vimrc lines of docs/editors.md#vim-and-neovim-ale (which load ALE with
" packadd! ale): sets ALE's clang-tidy variables from the environment, opens
" $ALE_FILE, runs :ALELint, waits for the linter job, and writes to $ALE_OUT
" the command ALE ran (its history) and the items it put in the buffer's
" list (what the user sees as signs and in :lopen), or NO-ALE when the
" vimrc did not load ALE.
"
"   vim -Nu <the vimrc> -i NONE -es -S ale-lint.vim
"
" Environment: ALE_FILE, ALE_OUT, ALE_EXECUTABLE (g:ale_{c,cpp}_clangtidy_
" executable), ALE_CHECKS (comma-separated, g:ale_{c,cpp}_clangtidy_checks),
" ALE_EXTRA (g:ale_{c,cpp}_clangtidy_extra_options), ALE_OPTIONS
" (g:ale_{c,cpp}_clangtidy_options).
if !exists(':ALELint')
  call writefile(['NO-ALE: the vimrc did not load ALE'], $ALE_OUT)
  qall!
endif

let g:ale_linters_explicit = 1
let g:ale_lint_on_enter = 0
for s:ft in ['c', 'cpp']
  let g:['ale_' . s:ft . '_clangtidy_executable'] = $ALE_EXECUTABLE
  let g:['ale_' . s:ft . '_clangtidy_checks'] = empty($ALE_CHECKS) ? [] : split($ALE_CHECKS, ',')
  let g:['ale_' . s:ft . '_clangtidy_extra_options'] = $ALE_EXTRA
  let g:['ale_' . s:ft . '_clangtidy_options'] = $ALE_OPTIONS
endfor

execute 'edit ' . fnameescape($ALE_FILE)
ALELint
" The linter runs as a job; sleeping lets Vim run its callbacks.
let s:waited = 0
while ale#engine#IsCheckingBuffer(bufnr('')) && s:waited < 1200
  sleep 100m
  let s:waited += 1
endwhile

let s:out = []
if s:waited >= 1200
  call add(s:out, 'TIMEOUT: the linter did not finish in 120 s')
endif
let s:seen = {}
for s:h in ale#history#Get(bufnr(''))
  " A job's command is ['/bin/bash', '-c', '<command>'] on Unix.
  if type(s:h.command) == v:t_list && !has_key(s:seen, s:h.command[-1])
    let s:seen[s:h.command[-1]] = 1
    call add(s:out, 'COMMAND ' . s:h.command[-1])
  endif
endfor
for s:e in ale#engine#GetLoclist(bufnr(''))
  let s:where = s:e.bufnr == bufnr('') ? '<buffer>' : bufname(s:e.bufnr)
  call add(s:out, printf('ITEM %s %s:%d:%d %s', s:e.type, s:where, s:e.lnum, get(s:e, 'col', 0), s:e.text))
  if has_key(s:e, 'detail')
    call add(s:out, 'DETAIL ' . substitute(s:e.detail, "\n", ' | ', 'g'))
  endif
endfor
call writefile(s:out, $ALE_OUT)
qall!
