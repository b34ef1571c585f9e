#!/usr/bin/env bash
# The translators' workflow (Babel's pybabel), from the repository root:
#   bash scripts/translations.sh extract      # collect every marked text into midas/translations/messages.pot
#   bash scripts/translations.sh update       # merge the template into each language's messages.po
#   bash scripts/translations.sh compile      # write the .mo files the service reads (setup.sh runs it)
#   bash scripts/translations.sh init LANG    # start a new language's catalog
# Translate in midas/translations/LANG/LC_MESSAGES/messages.po; tests/midas/test_translations.py
# fails on any text left untranslated or fuzzy in a shipped catalog.
set -euo pipefail
cd "$(dirname "$0")/.."
pybabel=".venv/bin/pybabel"
dir="midas/translations"
case "${1:-}" in
  extract)
    "$pybabel" extract -F babel.cfg -k _l -k N_ -k lazy_gettext --no-location --sort-by-file --omit-header \
      --project MIDAS -o "$dir/messages.pot" . ;;
  update)
    "$pybabel" update -i "$dir/messages.pot" -d "$dir" --width 100 \
      --no-fuzzy-matching ;;
  compile)
    # Quiet about each catalog it compiles; an error still fails the script (pipefail).
    "$pybabel" compile -d "$dir" 2>&1 | { grep -v "^compiling catalog" || true; } ;;
  init)
    "$pybabel" init -i "$dir/messages.pot" -d "$dir" -l "${2:?the language code, e.g. fr}" ;;
  *)
    echo "usage: bash scripts/translations.sh extract|update|compile|init LANG" >&2
    exit 2 ;;
esac
