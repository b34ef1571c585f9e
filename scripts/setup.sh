#!/usr/bin/env bash
# Install everything MIDAS needs on a Debian machine: system packages, then a venv with the project.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# Tesseract reads MRZ images; fonts-ocr-b renders test MRZs in the real typeface;
# PostgreSQL is the production database the tests also run against; chromium drives browser tests.
APT_PACKAGES=(tesseract-ocr tesseract-ocr-eng fonts-ocr-b postgresql chromium)

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[dev,kanji]'
# The pages' translations: the .mo files are built from the .po catalogs, never kept in git.
bash scripts/translations.sh compile
echo "setup: done (.venv/bin/midas is ready)"
