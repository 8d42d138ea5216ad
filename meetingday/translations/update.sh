#!/usr/bin/env bash
# Refresh the translation catalogues: extract the Vietnamese source strings into
# messages.pot, merge them into the English catalogue, and compile the .mo files.
#
# Run from anywhere, with the project's virtualenv first on PATH:
#     PATH=.venv/bin:$PATH meetingday/translations/update.sh
# or point PYBABEL at a specific pybabel executable.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

PYBABEL="${PYBABEL:-pybabel}"
DIR=meetingday/translations
POT="$DIR/messages.pot"

"$PYBABEL" extract -F "$DIR/babel.cfg" -k _l -k lazy_gettext \
    --no-location --omit-header --sort-output -o "$POT" .

if [[ -f "$DIR/en/LC_MESSAGES/messages.po" ]]; then
    "$PYBABEL" update -i "$POT" -d "$DIR" -l en --no-fuzzy-matching --ignore-obsolete
else
    "$PYBABEL" init -i "$POT" -d "$DIR" -l en
fi

"$PYBABEL" compile -d "$DIR" --statistics
