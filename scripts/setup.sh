#!/usr/bin/env bash
# Set up a fresh machine for cppcc_study: .venv with the package and its Python
# dependencies (fonts come as wheels: no root needed). When run as root on Debian,
# it also installs the system tools the tests use to check reports (poppler-utils
# for pdffonts/pdftotext/pdftoppm, chromium for the HTML end-to-end test) and the
# Noto CJK fonts with simplified-Chinese glyphs; without root it says what it skipped.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if [ ! -x "$venv/bin/python" ]; then
  echo "setup: creating $venv"
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
echo "setup: installing cppcc-study and its dependencies into $venv"
"$venv/bin/python" -m pip install --quiet -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
"$venv/bin/python" -c "import cppcc_study, pandas, papermill, statsmodels, typst, pypandoc" \
  || { echo "setup: the Python install failed (see the pip messages above)"; exit 1; }

want=()
command -v pdftoppm >/dev/null 2>&1 || want+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || want+=(chromium)
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || want+=(fonts-noto-cjk)  # the file fonts.py looks for
if [ ${#want[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing Debian packages: ${want[*]}"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${want[@]}") >/dev/null \
      || echo "setup: apt-get could not install ${want[*]}; tests that need them will skip and say so"
  else
    echo "setup: not root: skipped Debian packages ${want[*]} (reports still build with the font wheels; tests that need pdftoppm or chromium skip)"
  fi
fi
# A new font is only seen by matplotlib once its cache is rebuilt.
rm -rf "$HOME/.cache/matplotlib" 2>/dev/null || true
"$venv/bin/python" -m ipykernel install --sys-prefix --name python3 >/dev/null 2>&1 || true
echo "setup: done"
