"""End to end: Neovim, headless, with its built-in LSP client attached to
`importcanon server` on the example project; the diagnostics it receives are asserted."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import copy_project

NVIM = shutil.which("nvim")

SCRIPT = r"""
local root = vim.fn.getcwd()
local out = vim.env.IMPORTCANON_NVIM_OUT
vim.cmd("edit " .. root .. "/src/ml_playground/cli.py")
local client = vim.lsp.start_client({
  name = "importcanon",
  cmd = { vim.env.IMPORTCANON_PYTHON, "-m", "importcanon", "server" },
  root_dir = root,
})
vim.lsp.buf_attach_client(0, client)
local function loader()
  for _, d in ipairs(vim.diagnostic.get()) do
    if vim.api.nvim_buf_get_name(d.bufnr):match("data/loader%.py$") then return true end
  end
  return false
end
local ok = vim.wait(60000, function() return #vim.diagnostic.get(0) > 0 and loader() end, 50)
local found = {}
for _, d in ipairs(vim.diagnostic.get()) do
  local lsp = (d.user_data or {}).lsp or {}
  table.insert(found, {
    file = vim.api.nvim_buf_get_name(d.bufnr),
    lnum = d.lnum,
    code = d.code or lsp.code,
    source = d.source or lsp.source,
    severity = d.severity,
  })
end
vim.fn.writefile({ vim.fn.json_encode({ ok = ok, diagnostics = found }) }, out)
vim.lsp.stop_client(client)
vim.wait(5000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
vim.cmd("qall!")
"""


def _version() -> tuple[int, int]:
    assert NVIM is not None
    first = subprocess.run([NVIM, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"NVIM v(\d+)\.(\d+)", first)
    return (int(match.group(1)), int(match.group(2))) if match else (0, 0)


@pytest.mark.skipif(NVIM is None, reason="Neovim (nvim) is not installed")
def test_neovim_receives_the_diagnostics(tmp_path: Path) -> None:
    assert _version() >= (0, 7), "vim.lsp.start_client and vim.diagnostic need Neovim 0.7"
    project = copy_project("example", tmp_path)
    script = tmp_path / "attach.lua"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "diagnostics.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(IMPORTCANON_NVIM_OUT=str(out), IMPORTCANON_PYTHON=sys.executable, HOME=str(tmp_path))
    subprocess.run(
        [NVIM, "--headless", "--clean", "-n", "-c", f"luafile {script}"],
        cwd=project,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["ok"], result
    found = {
        (Path(d["file"]).relative_to(project.resolve()).as_posix(), d["lnum"], d["code"])
        for d in result["diagnostics"]
    }
    assert ("src/ml_playground/cli.py", 5, "IMC102") in found  # the open buffer
    assert ("src/ml_playground/data/loader.py", 8, "IMC301") in found  # a file never opened
    assert {d["source"] for d in result["diagnostics"]} == {"importcanon"}
