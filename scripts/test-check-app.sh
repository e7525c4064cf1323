#!/usr/bin/env bash
# test-check-app.sh [PACKAGE.tgz] — tests scripts/check-app.sh: the real
# package must pass, and copies of it broken in one way each must fail with
# the rule that names that problem. Also checks that app/README/eventgen.conf.spec
# documents every setting the engine knows (src/internal/config/settings.go).
#
# The good package is PACKAGE.tgz, else dist/SA-Eventgen-<version>.tgz, else
# one built now by package.sh in a temporary directory.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
CHECK=$ROOT/scripts/check-app.sh

TAR=
for t in gtar tar; do
  if command -v "$t" >/dev/null 2>&1 && "$t" --version 2>/dev/null | grep -q 'GNU tar'; then
    TAR=$t
    break
  fi
done
[[ -n $TAR ]] || {
  echo "test-check-app.sh: GNU tar is needed" >&2
  exit 2
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/test-check-app.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

FAILURES=0
ok() { echo "ok   $1"; }
bad() {
  echo "FAIL $1"
  FAILURES=$((FAILURES + 1))
}

# ------------------------------------------------------------ the spec

settings=$(sed -n '/^var settings = map/,/^}/p' src/internal/config/settings.go | sed -n 's/^[[:space:]]*"\([A-Za-z_]*\)":.*/\1/p')
[[ -n $settings ]] || bad "spec_covers_settings: no setting found in src/internal/config/settings.go"
missing=()
for k in $settings token.\<n\>.token token.\<n\>.replacementType token.\<n\>.replacement host.token host.replacement; do
  grep -qE "^${k//./\\.} = " app/README/eventgen.conf.spec || missing+=("$k")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  ok "spec_covers_settings ($(wc -w <<<"$settings" | tr -d ' ') settings + token/host keys)"
else
  bad "spec_covers_settings: not in app/README/eventgen.conf.spec: ${missing[*]}"
fi

# Like "splunk btool check": every key of the shipped confs matches a spec
# entry (<n> stands for a number).
spec_re=$(sed -n 's/^\([A-Za-z_.<>]*\) = .*/\1/p' app/README/eventgen.conf.spec | sed 's/\./\\./g; s/<n>/[0-9]+/g' | paste -sd'|' -)
unknown=$(sed -n 's/^\([^#[ \t=][^= \t]*\)[ \t]*=.*/\1/p' app/default/eventgen.conf samples/eventgen.conf | sort -u | grep -vE "^($spec_re)$" || true)
if [[ -z $unknown ]]; then
  ok "spec_accepts_shipped_confs (app/default/eventgen.conf, samples/eventgen.conf)"
else
  bad "spec_accepts_shipped_confs: keys not in the spec: $(tr '\n' ' ' <<<"$unknown")"
fi
unknown=$(sed -n 's/^\([^#[ \t=][^= \t]*\)[ \t]*=.*/\1/p' app/default/inputs.conf | sort -u | grep -vxE 'verbosity|disabled|interval|start_by_shell|index|host|source|sourcetype' || true)
if [[ -z $unknown ]]; then
  ok "inputs_conf_keys (app/default/inputs.conf)"
else
  bad "inputs_conf_keys: keys neither in README/inputs.conf.spec nor implicit: $(tr '\n' ' ' <<<"$unknown")"
fi

# ------------------------------------------------------------ the good package

GOOD=${1:-}
if [[ -z $GOOD ]]; then
  version=$(awk -F= '/^\[/{s=$0} s=="[launcher]" && $1 ~ /^[ \t]*version[ \t]*$/ {gsub(/[ \t]/,"",$2); print $2}' app/default/app.conf)
  GOOD=dist/SA-Eventgen-$version.tgz
  if [[ ! -f $GOOD ]]; then
    echo "test-check-app.sh: $GOOD not found; building it with package.sh"
    BUILD_DIR=$WORK/build DIST_DIR=$WORK/dist bash package.sh >"$WORK/package.log" 2>&1 || {
      cat "$WORK/package.log"
      echo "test-check-app.sh: package.sh failed" >&2
      exit 1
    }
    GOOD=$WORK/dist/SA-Eventgen-$version.tgz
  fi
fi
[[ -f $GOOD ]] || {
  echo "test-check-app.sh: $GOOD does not exist" >&2
  exit 2
}

if out=$(bash "$CHECK" "$GOOD" 2>&1); then
  if grep -q '^FAIL' <<<"$out"; then
    bad "good package: exit 0 but FAIL lines:"$'\n'"$out"
  else
    ok "good package passes ($GOOD)"
  fi
else
  bad "good package fails:"$'\n'"$(grep '^FAIL' <<<"$out")"
fi
if out=$(CHECK_APP_NO_FILE=1 bash "$CHECK" "$GOOD" 2>&1); then
  ok "good package passes with the magic-byte checks (no file(1))"
else
  bad "good package fails without file(1):"$'\n'"$(grep '^FAIL' <<<"$out")"
fi

# ------------------------------------------------------------ broken copies

mkdir -p "$WORK/pristine"
"$TAR" -xzf "$GOOD" -C "$WORK/pristine"
# fresh: a new unpacked copy of the good package in $WORK/case/.
fresh() {
  rm -rf "$WORK/case"
  cp -a "$WORK/pristine" "$WORK/case"
  APP=$WORK/case/SA-Eventgen
}
# pack [TAR ARGS...]: $WORK/case.tgz from $WORK/case, as package.sh packs.
pack() {
  local top=()
  while IFS= read -r -d '' f; do
    top+=("${f##*/}")
  done < <(find "$WORK/case" -mindepth 1 -maxdepth 1 -print0 | sort -z)
  "$TAR" --create --file=- --directory="$WORK/case" --format=ustar --sort=name \
    --owner=0 --group=0 --numeric-owner --mtime=@0 "$@" "${top[@]}" | gzip -1 -n >"$WORK/case.tgz"
}
# expect NAME RULE: check-app.sh must exit 1 and print "FAIL RULE:".
expect() {
  local name=$1 rule=$2 out rc=0
  out=$(bash "$CHECK" "$WORK/case.tgz" 2>&1) || rc=$?
  if [[ $rc -ne 1 ]]; then
    bad "$name: exit $rc, want 1"$'\n'"$out"
  elif ! grep -q "^FAIL $rule:" <<<"$out"; then
    bad "$name: no 'FAIL $rule:' line"$'\n'"$(grep '^FAIL' <<<"$out")"
  else
    ok "$name -> $(grep -m1 "^FAIL $rule:" <<<"$out")"
  fi
}
# set_conf FILE STANZA KEY VALUE: replaces KEY's line in [STANZA].
set_conf() {
  awk -v want="$2" -v key="$3" -v val="$4" '
    /^\[/ { cur = substr($0, 2, length($0) - 2) }
    cur == want && $0 ~ "^" key "[ \t]*=" { print key " = " val; next }
    { print }
  ' "$1" >"$1.new"
  mv "$1.new" "$1"
}

fresh
chmod 0666 "$APP/default/inputs.conf"
pack
expect "world-writable file" no_world_writable

fresh
chmod 0777 "$APP/samples"
pack
expect "world-writable directory" no_world_writable

fresh
printf 'x' >"$APP/static/.DS_Store"
pack
expect "dotfile" no_hidden_files

fresh
mkdir -p "$APP/__MACOSX"
printf 'x' >"$APP/__MACOSX/junk"
pack
expect "__MACOSX folder" no_hidden_files

fresh
rm -rf "$WORK/case.tgz"
"$TAR" --create --file=- --directory="$WORK/case" --format=ustar --owner=0 --group=0 . | gzip -1 -n >"$WORK/case.tgz"
expect "./ member names" member_names

fresh
pack --transform='s,^SA-Eventgen,SA-Eventgen-main,'
expect "top folder differs from the app id" package_id

fresh
printf 'x\n' >"$WORK/case/stray.txt"
pack
expect "two top-level entries" single_top_dir

fresh
ln -s ../default/app.conf "$APP/samples/link.conf"
pack
expect "symbolic link" member_types

fresh
"$TAR" --create --file="$WORK/case.tgz" --directory="$WORK/case" SA-Eventgen
expect "not gzip-compressed" package_compression

fresh
set_conf "$APP/default/app.conf" id version 0.2.0
pack
expect "[id] version differs from [launcher]" version_semver

fresh
set_conf "$APP/default/app.conf" id version 1.0
set_conf "$APP/default/app.conf" launcher version 1.0
pack
expect "version not semver" version_semver

fresh
set_conf "$APP/default/app.conf" install is_configured true
pack
expect "is_configured = true" is_configured

fresh
set_conf "$APP/default/app.conf" install build 0
pack
expect "build = 0" build_number

fresh
set_conf "$APP/default/app.conf" package check_for_updates true
pack
expect "check_for_updates = true" check_for_updates

fresh
printf '\n[install]\ninstall_source_checksum = 0123abcd\n' >>"$APP/default/app.conf"
pack
expect "install_source_checksum" no_install_source_checksum

fresh
mkdir -p "$APP/local"
printf '[modinput_eventgen://default]\ndisabled = 0\n' >"$APP/local/inputs.conf"
pack
expect "local/ folder" no_local

fresh
printf '[eventgen]\nexport = none\n' >"$APP/metadata/local.meta"
pack
expect "metadata/local.meta" no_local

fresh
printf '\nthis line is not a setting\n' >>"$APP/default/inputs.conf"
pack
expect "stray text in a .conf" conf_syntax

fresh
printf '\n[modinput_eventgen://default]\ndisabled = 0\n' >>"$APP/default/inputs.conf"
pack
expect "duplicate stanza in a .conf" conf_syntax

fresh
printf '\n[extra]\na = 1\na = 2\n' >>"$APP/default/server.conf"
pack
expect "duplicate key in a .conf" conf_syntax

fresh
printf '\n[extra] a = 1\n' >>"$APP/default/server.conf"
pack
expect "setting on the stanza line" conf_syntax

fresh
printf '\n[extra]\na = one \\ \ntwo\n' >>"$APP/default/server.conf"
pack
expect "backslash followed by spaces" conf_syntax

fresh
printf '* A description whose second line\n  count = 5 reads as a setting.\n' >>"$APP/README/inputs.conf.spec"
pack
expect "setting-like text in a .spec" spec_syntax

fresh
printf '\n[other_input://<name>]\n* No property.\n' >>"$APP/README/inputs.conf.spec"
pack
expect "spec stanza without a property" inputs_spec_stanzas

fresh
printf '\n[tcp://<name>]\nfoo = <string>\n' >>"$APP/README/inputs.conf.spec"
pack
expect "built-in scheme in the spec" inputs_spec_stanzas

fresh
rm "$APP/windows_x86_64/bin/modinput_eventgen.exe"
pack
expect "missing Windows executable" modinput_executables

fresh
mv "$APP/windows_x86_64/bin/modinput_eventgen.exe" "$APP/windows_x86_64/bin/modinput_eventgen"
pack
expect "Windows executable without .exe" binary_formats

fresh
rm "$APP/darwin_x86_64/bin/modinput_eventgen"
pack
expect "missing macOS executable" modinput_executables

fresh
chmod 0644 "$APP/linux_x86_64/bin/modinput_eventgen"
pack
expect "modular input not executable" modinput_executables

fresh
printf '#!/bin/sh\necho helper\n' >"$APP/linux_x86_64/bin/helper"
chmod 0755 "$APP/linux_x86_64/bin/helper"
pack
expect "undeclared file in bin" binaries_declared

fresh
awk '/Binary File Declaration/ { exit } { print }' "$APP/README.md" >"$APP/README.md.new"
mv "$APP/README.md.new" "$APP/README.md"
pack
expect "README without Binary File Declaration" binaries_declared

fresh
rm "$APP/README.md"
pack
expect "no README" readme

fresh
printf '#!/bin/sh\necho hi\n' >"$APP/samples/run.sh"
chmod 0755 "$APP/samples/run.sh"
pack
expect "executable outside bin" executables_in_bin

fresh
cp "$APP/linux_x86_64/bin/eventgen" "$APP/static/eventgen"
chmod 0644 "$APP/static/eventgen"
pack
expect "binary outside bin" binaries_in_bin

fresh
chmod 0600 "$APP/samples/users.sample"
pack
expect "file mode 0600" file_modes

fresh
chmod 0444 "$APP/samples/users.sample"
pack
expect "file not writable by its owner" owner_permissions

fresh
printf 'x' >"$APP/static/cache.pyc"
pack
expect "compiled Python" no_compiled_python

fresh
printf 'x' >"$APP/default/inputs.conf.orig"
pack
expect "build leftover" no_build_leftovers

# A dynamically linked x86-64 ELF (this system's ls or sh) in place of
# the static Linux binary, checked with file(1) and by program headers.
dyn=
for candidate in /bin/ls /usr/bin/ls /bin/sh; do
  if [[ -f $candidate && $(od -An -tx1 -N4 "$candidate" | tr -d ' \n') == 7f454c46 && $(uname -m) == x86_64 ]]; then
    dyn=$candidate
    break
  fi
done
if [[ -n $dyn ]]; then
  fresh
  cp "$dyn" "$APP/linux_x86_64/bin/modinput_eventgen"
  chmod 0755 "$APP/linux_x86_64/bin/modinput_eventgen"
  pack
  expect "dynamically linked Linux binary" binary_formats
  out=$(CHECK_APP_NO_FILE=1 bash "$CHECK" "$WORK/case.tgz" 2>&1) || true
  if grep -q '^FAIL binary_formats: .*PT_INTERP' <<<"$out"; then
    ok "dynamically linked Linux binary (magic bytes) -> $(grep -m1 '^FAIL binary_formats' <<<"$out")"
  else
    bad "dynamically linked Linux binary not caught without file(1)"$'\n'"$(grep '^FAIL' <<<"$out")"
  fi
else
  echo "skip dynamically linked Linux binary (no x86-64 ELF on this system)"
fi

fresh
cp "$APP/windows_x86_64/bin/eventgen.exe" "$APP/linux_x86_64/bin/eventgen"
pack
expect "Windows binary in the Linux folder" binary_formats

fresh
cp "$APP/linux_x86_64/bin/eventgen" "$APP/darwin_x86_64/bin/eventgen"
pack
expect "Linux binary in the macOS folder" binary_formats

fresh
awk '!/conf_replication_include.eventgen/' "$APP/default/server.conf" >"$APP/default/server.conf.new"
mv "$APP/default/server.conf.new" "$APP/default/server.conf"
pack
expect "custom conf not replicated" custom_conf_replication

fresh
awk '!/^reload.eventgen/' "$APP/default/app.conf" >"$APP/default/app.conf.new"
mv "$APP/default/app.conf.new" "$APP/default/app.conf"
pack
expect "custom conf without reload trigger" custom_conf_reload

fresh
rm "$APP/README/eventgen.conf.spec"
pack
expect "custom conf without spec" custom_conf_spec

fresh
sed 's/write : \[ admin, sc_admin \]/write : [ admin ]/' "$APP/metadata/default.meta" >"$APP/metadata/default.meta.new"
mv "$APP/metadata/default.meta.new" "$APP/metadata/default.meta"
pack
expect "write for admin but not sc_admin" meta_sc_admin

fresh
rm "$APP/default/data/ui/nav/default.xml"
pack
expect "visible app without a nav" ui_views

fresh
set_conf "$APP/default/app.conf" ui setup_view no_such_view
pack
expect "setup_view names a missing view" ui_views

fresh
rm "$APP/appserver/static/eventgen_editor.js"
pack
expect "view script missing" view_assets

fresh
rm "$APP/appserver/static/wasm_exec.js"
pack
expect "validate.wasm without wasm_exec.js" view_assets

fresh
printf 'var x = eval("1");\n' >>"$APP/appserver/static/eventgen_editor.js"
pack
expect "eval in JavaScript" js_no_dynamic_code

fresh
chmod 0755 "$APP/appserver/static/eventgen_editor.js"
pack
expect "executable static JavaScript" executables_in_bin

echo
if [[ $FAILURES -ne 0 ]]; then
  echo "test-check-app.sh: $FAILURES failed"
  exit 1
fi
echo "test-check-app.sh: all passed"
