#!/usr/bin/env bash
# Peers for bench/e2e/run.py (issue #4), under bench/e2e/.peers/ (git-ignored; override with SAYLAU_BENCH_PEERS):
#   1. ElectionGuard Python SDK 1.4.0 from PyPI in its own venv, patched there for Python 3.11 when no
#      Python 3.10 is at hand (see below);
#   2. Debian's belenios-tool (2.0 on bookworm) with apt-get (needs root; skipped with a message otherwise).
# Idempotent: an existing, importable venv is kept. Nothing here touches saylau's .venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
peers="${SAYLAU_BENCH_PEERS:-$here/.peers}"
venv="$peers/eg-venv"
mkdir -p "$peers"

# --- 1. ElectionGuard 1.4.0 ---------------------------------------------------------------------------------
# electionguard 1.4.0 (its last release) declares python >= 3.9 but fails to import on Python 3.11:
# electionguard/tally.py, class CiphertextTallySelection, has
#     ciphertext: ElGamalCiphertext = field(default=ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P))
# and since 3.11 dataclasses refuse any unhashable default ("ValueError: mutable default <class
# 'electionguard.elgamal.ElGamalCiphertext'> for field ciphertext is not allowed: use default_factory").
# Upstream fix: electionguard-python issue #809 / PR #810 (merged, not released) turns that one default into
#     field(default_factory=lambda: ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P))
# which is what we apply below, in the venv's copy only. It changes a tally accumulator's initial value object
# (a fresh one per instance instead of one shared); ballot encryption and proof checking — what the bench
# measures — are untouched. With a Python 3.10 at hand (see below) the venv uses it and nothing is patched.
# Interpreter: $EG_PYTHON if set, else a working python3.10 (PATH, then pyenv's versions), else python3 + patch.
py="${EG_PYTHON:-}"
if [ -z "$py" ]; then
  for cand in python3.10 "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.10*/bin/python3.10; do
    if "$cand" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then py="$cand"; break; fi
  done
fi
py="${py:-python3}"
echo "ElectionGuard venv interpreter: $py ($("$py" --version 2>&1))"
if [ ! -x "$venv/bin/python" ]; then
  "$py" -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "electionguard==1.4.0"
fi
tally="$("$venv/bin/python" -c 'import importlib.util as u; print(u.find_spec("electionguard").submodule_search_locations[0])')/tally.py"
if ! (cd /tmp && "$venv/bin/python" -c 'import electionguard' 2>/dev/null); then
  if grep -q 'default=ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P)' "$tally"; then
    sed -i 's/default=ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P)/default_factory=lambda: ElGamalCiphertext(ONE_MOD_P, ONE_MOD_P)/' "$tally"
    echo "patched $tally for Python $("$venv/bin/python" -c 'import sys; print(sys.version.split()[0])'): issue #809 / PR #810"
    echo "electionguard/tally.py CiphertextTallySelection.ciphertext: default= -> default_factory= (issue #809 / PR #810)" \
      > "$venv/PATCHED-809"
  fi
fi
(cd /tmp && "$venv/bin/python" -c 'import electionguard; print("electionguard 1.4.0 imports")')

# --- 2. belenios-tool ------------------------------------------------------------------------------------------
if command -v belenios-tool >/dev/null 2>&1; then
  echo "belenios-tool $(dpkg-query -W -f='${Version}' belenios-tool 2>/dev/null || echo '?') already installed"
elif [ "$(id -u)" = 0 ]; then
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q belenios-tool >/dev/null
  echo "installed belenios-tool $(dpkg-query -W -f='${Version}' belenios-tool)"
else
  echo "belenios-tool missing and not root: run 'sudo apt-get install -y belenios-tool'" >&2
fi
