#!/usr/bin/env bash
# check-app.sh PACKAGE.tgz — checks a Splunk app package against the
# AppInspect rules that apply to SA-Eventgen (a binary-shipping app with a
# modular input and a custom eventgen.conf), see
# ../shared/reference/splunk-platform.md §4.5 and §4.6.
#
# Prints "PASS <rule>[: detail]" for every rule that holds and
# "FAIL <rule>: <detail>" for every problem found, then exits 1 if anything
# failed (2 on a usage error). Needs bash, GNU tar, gzip, awk and od; uses
# file(1) when present to describe the binaries (set CHECK_APP_NO_FILE=1 to
# use only the built-in magic-byte checks).
#
# Rules (AppInspect check names in brackets where one exists):
#   package_compression    a real gzip file that decompresses [check_package_compression]
#   member_names           no "./" prefix, no absolute path, no ".." [check_that_splunk_app_package_does_not_contain_files_outside_of_app]
#   member_types           only regular files and directories (no links or devices)
#   single_top_dir         one top folder, everything inside it [check_that_splunk_app_package_extracts_to_visible_directory]
#   no_hidden_files        no dotfile or dot-directory, no __MACOSX [..._does_not_contain_prohibited_directories_or_files]
#   no_compiled_python     no .pyc/.pyo [check_for_compiled_python]
#   no_build_leftovers     no *~ *.swp *.orig *.rej *.bak *.tmp *.test *.out
#   readme                 a README file at the app root [check_basic_readme]
#   default_app_conf       default/app.conf exists [check_that_extracted_splunk_app_contains_default_app_conf_file]
#   package_id             [package] id is valid and equals [id] name and the top folder [check_for_valid_package_id]
#   is_configured          [install] is_configured = false
#   build_number           [install] build is a positive integer
#   version_semver         [id] and [launcher] versions are semver and equal, and app.manifest's if present [check_version_is_valid_semver]
#   check_for_updates      [package] check_for_updates = false [check_for_updates_disabled]
#   no_install_source_checksum  app.conf has no install_source_checksum
#   no_local               no local/ folder, no local.meta
#   conf_syntax            every .conf and .meta file follows Splunk's rules
#   spec_syntax            every README/*.spec file too, with "*" description lines
#   inputs_spec_stanzas    README/inputs.conf.spec has stanzas, each with a property, with valid scheme names [check_inputs_conf_spec_*]
#   modinput_executables   every scheme has <scheme> in linux_x86_64/bin and darwin_x86_64/bin and <scheme>.exe in windows_x86_64/bin [check_modular_inputs_scripts_exist]
#   executables_in_bin     executable files only inside folders named bin [check_for_bin_files]
#   binaries_in_bin        ELF, Mach-O and PE files only inside folders named bin
#   file_modes             directories 0755, files in bin folders 0755, other files 0644
#   no_world_writable      no world-writable file or directory
#   owner_permissions      the owner can read and write every file and enter every directory [..._invalid_permissions]
#   binaries_declared      every file in a bin folder is named in the README's "Binary File Declaration" [check_platform_specific_binaries]
#   binary_formats         linux_x86_64: static ELF x86-64; darwin_x86_64: Mach-O x86_64; windows_x86_64: PE32+ x86-64 .exe
#   custom_conf_spec       each custom .conf in default/ has README/<name>.conf.spec
#   custom_conf_replication  ... and server.conf [shclustering] conf_replication_include.<name> = true [check_custom_conf_replication]
#   custom_conf_reload     ... and app.conf [triggers] reload.<name> [check_reload_trigger_for_all_custom_confs]
#   meta_sc_admin          metadata that grants write to admin grants it to sc_admin too [check_kos_are_accessible]
#   package_size           the package is under 1 GiB (Splunkbase limit); reports sizes
#   ui_views               a visible app has default/data/ui/nav/default.xml whose default view exists; [ui] setup_view names an existing view
#   view_assets            every script= and stylesheet= of a view is in appserver/static; a .wasm there has Go's wasm_exec.js beside it
#   js_no_dynamic_code     no eval(, new Function( or document.write( in the app's JavaScript [check_for_remote_code_execution_in_javascript, Cloud]
set -uo pipefail
export LC_ALL=C

if [[ $# -ne 1 || $1 == -h || $1 == --help ]]; then
  echo "usage: $0 PACKAGE.tgz" >&2
  exit 2
fi
PKG=$1

FAILED=0
FAILS=0
pass() { echo "PASS $1${2:+: $2}"; }
fail() {
  echo "FAIL $1: $2"
  FAILED=1
  FAILS=$((FAILS + 1))
}
# passed_since N: no FAIL was printed since FAILS was N.
passed_since() { [[ $FAILS -eq $1 ]]; }
finish() {
  if [[ $FAILED -ne 0 ]]; then
    echo "check-app.sh: $PKG FAILED"
    exit 1
  fi
  echo "check-app.sh: $PKG passed"
  exit 0
}

TAR=
for t in gtar tar; do
  if command -v "$t" >/dev/null 2>&1 && "$t" --version 2>/dev/null | grep -q 'GNU tar'; then
    TAR=$t
    break
  fi
done
if [[ -z $TAR ]]; then
  echo "check-app.sh: GNU tar (tar or gtar) is needed" >&2
  exit 2
fi

if [[ ! -f $PKG || ! -r $PKG ]]; then
  fail package_compression "$PKG is not a readable file"
  finish
fi

# ---------------------------------------------------------------- archive

WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-app.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

magic=$(head -c 2 "$PKG" | od -An -tx1 | tr -d ' \n')
if [[ $magic != 1f8b ]]; then
  fail package_compression "$PKG is not gzip-compressed (starts with 0x$magic)"
  finish
elif ! gzip -dc "$PKG" >"$WORK/package.tar" 2>/dev/null; then
  fail package_compression "$PKG is a damaged gzip file"
  finish
fi
pass package_compression "gzip"

if ! "$TAR" --quoting-style=literal -tvf "$WORK/package.tar" >"$WORK/listing" 2>"$WORK/tar.err"; then
  fail package_compression "not a tar archive: $(head -n 1 "$WORK/tar.err")"
  finish
fi

# One member per line: TYPE MODE(octal) SIZE NAME.
names=()
types=()
modes=()
sizes=()
while IFS= read -r line; do
  read -r perm _owner size _date _time name <<<"$line"
  t=${perm:0:1}
  [[ $t == - ]] && t=f
  m=0
  for i in 1 2 3 4 5 6 7 8 9; do
    c=${perm:i:1}
    bit=$((1 << (9 - i)))
    case $c in
    r | w | x) m=$((m | bit)) ;;
    s | t) m=$((m | bit)) ;;
    esac
  done
  if [[ $t == l || $t == h ]]; then
    name=${name%% -> *}
    name=${name%% link to *}
  fi
  names+=("$name")
  types+=("$t")
  modes+=("$(printf '%04o' "$m")")
  sizes+=("$size")
done <"$WORK/listing"

if [[ ${#names[@]} -eq 0 ]]; then
  fail single_top_dir "the archive is empty"
  finish
fi

# member_names
n0=$FAILS
safe=1
for name in "${names[@]}"; do
  if [[ $name == ./* || $name == . ]]; then
    fail member_names "$name starts with ./ (build the tar from the parent folder, naming the app folder)"
  fi
  if [[ $name == /* ]]; then
    fail member_names "$name is an absolute path"
    safe=0
  fi
  if [[ /$name/ == */../* ]]; then
    fail member_names "$name contains .."
    safe=0
  fi
done
passed_since "$n0" && pass member_names

# member_types
n0=$FAILS
for i in "${!names[@]}"; do
  case ${types[i]} in
  f | d) ;;
  l) fail member_types "${names[i]} is a symbolic link" && safe=0 ;;
  h) fail member_types "${names[i]} is a hard link" && safe=0 ;;
  *) fail member_types "${names[i]} is not a regular file or directory (type ${types[i]})" && safe=0 ;;
  esac
done
passed_since "$n0" && pass member_types

# single_top_dir
n0=$FAILS
TOP=
declare -A tops=()
for name in "${names[@]}"; do
  n=${name#./}
  n=${n%%/*}
  [[ -z $n || $n == . ]] || tops[$n]=1
done
if [[ ${#tops[@]} -ne 1 ]]; then
  fail single_top_dir "${#tops[@]} top-level entries: ${!tops[*]}"
else
  TOP=${!tops[*]}
  top_is_dir=0
  for i in "${!names[@]}"; do
    n=${names[i]#./}
    if [[ ${n%/} == "$TOP" && ${types[i]} == d ]]; then
      top_is_dir=1
    fi
  done
  if [[ $top_is_dir -ne 1 ]]; then
    # tar may omit the directory entry; it is still one folder if every
    # member is below it.
    for name in "${names[@]}"; do
      n=${name#./}
      if [[ $n != "$TOP"/* ]]; then
        fail single_top_dir "$name is not inside a top folder"
      fi
    done
  fi
  if [[ $TOP == .* ]]; then
    fail single_top_dir "the top folder $TOP is hidden"
  fi
fi
passed_since "$n0" && pass single_top_dir "$TOP"

# no_hidden_files, no_compiled_python, no_build_leftovers
n0=$FAILS
for name in "${names[@]}"; do
  n=${name#./}
  n=${n%/}
  IFS=/ read -r -a parts <<<"$n"
  for p in "${parts[@]}"; do
    if [[ $p == .* ]]; then
      fail no_hidden_files "$name (hidden: $p)"
      break
    fi
    if [[ $p == __MACOSX ]]; then
      fail no_hidden_files "$name (__MACOSX)"
      break
    fi
  done
done
passed_since "$n0" && pass no_hidden_files
n0=$FAILS
for name in "${names[@]}"; do
  case $name in
  *.pyc | *.pyo | */__pycache__/*) fail no_compiled_python "$name" ;;
  esac
done
passed_since "$n0" && pass no_compiled_python
n0=$FAILS
for name in "${names[@]}"; do
  case ${name%/} in
  *~ | *.swp | *.orig | *.rej | *.bak | *.tmp | *.test | *.out) fail no_build_leftovers "$name" ;;
  esac
done
passed_since "$n0" && pass no_build_leftovers

# file_modes, no_world_writable, owner_permissions, executables_in_bin
in_bin() { [[ /$1/ == */bin/* || /$1/ == */appserver/controllers/* ]]; }
n0=$FAILS
for i in "${!names[@]}"; do
  m=${modes[i]}
  if (((8#$m & 8#002) != 0)); then
    fail no_world_writable "${names[i]} is world-writable (mode $m)"
  fi
done
passed_since "$n0" && pass no_world_writable
n0=$FAILS
for i in "${!names[@]}"; do
  m=${modes[i]}
  if [[ ${types[i]} == d ]]; then
    (((8#$m & 8#700) == 8#700)) || fail owner_permissions "${names[i]} directory mode $m: the owner needs rwx"
  else
    (((8#$m & 8#600) == 8#600)) || fail owner_permissions "${names[i]} mode $m: the owner needs rw"
  fi
done
passed_since "$n0" && pass owner_permissions
n0=$FAILS
for i in "${!names[@]}"; do
  [[ ${types[i]} == f ]] || continue
  n=${names[i]#./}
  rel=${n#"$TOP"/}
  if (((8#${modes[i]} & 8#111) != 0)) && ! in_bin "$(dirname "$rel")"; then
    fail executables_in_bin "${names[i]} is executable (mode ${modes[i]}) outside a bin folder"
  fi
done
passed_since "$n0" && pass executables_in_bin
n0=$FAILS
for i in "${!names[@]}"; do
  n=${names[i]#./}
  rel=${n#"$TOP"/}
  want=0644
  if [[ ${types[i]} == d ]]; then
    want=0755
  elif in_bin "$(dirname "$rel")"; then
    want=0755
  fi
  [[ ${types[i]} == f || ${types[i]} == d ]] || continue
  [[ ${modes[i]} == "$want" ]] || fail file_modes "${names[i]} has mode ${modes[i]}, want $want"
done
passed_since "$n0" && pass file_modes

# package_size
pkg_bytes=$(wc -c <"$PKG" | tr -d ' ')
unpacked=0
for s in "${sizes[@]}"; do
  [[ $s =~ ^[0-9]+$ ]] && unpacked=$((unpacked + s))
done
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
if ((pkg_bytes >= 1073741824)); then
  fail package_size "$(mib "$pkg_bytes") compressed: Splunkbase takes packages under 1 GiB"
else
  pass package_size "$(mib "$pkg_bytes") compressed, $(mib "$unpacked") unpacked, ${#names[@]} entries"
fi

if [[ $safe -ne 1 || -z $TOP ]]; then
  echo "check-app.sh: not extracting an unsafe or ambiguous archive; content rules skipped"
  FAILED=1
  finish
fi

mkdir "$WORK/app"
if ! "$TAR" -xf "$WORK/package.tar" -C "$WORK/app" --no-same-owner 2>"$WORK/tar.err"; then
  fail package_compression "cannot extract: $(head -n 1 "$WORK/tar.err")"
  finish
fi
rm -f "$WORK/package.tar"
APPDIR=$WORK/app/$TOP

# ---------------------------------------------------------------- .conf

# conf_get FILE STANZA KEY: prints the value and returns 0 if set. Splunk
# rules: first "=" splits, both sides trimmed, last duplicate wins; keys
# before any stanza belong to [default].
conf_get() {
  [[ -f $1 ]] || return 1
  awk -v want="$2" -v key="$3" '
    BEGIN { cur = "default" }
    { sub(/\r$/, "") }
    /^[ \t]*[#;]/ { next }
    /^[ \t]*\[/ { s = $0; sub(/^[ \t]*\[/, "", s); sub(/\][^]]*$/, "", s); cur = s; next }
    cur == want && index($0, "=") {
      k = substr($0, 1, index($0, "=") - 1); v = substr($0, index($0, "=") + 1)
      gsub(/^[ \t]+|[ \t]+$/, "", k); gsub(/^[ \t]+|[ \t]+$/, "", v)
      if (k == key) { val = v; found = 1 }
    }
    END { if (found) { print val; exit 0 } exit 1 }
  ' "$1"
}

# conf_lint MODE FILE: prints "line N: problem" for every line Splunk
# (and AppInspect's parser) would not read as intended. MODE is conf or
# spec; spec also allows "*" description lines and indented text.
conf_lint() {
  awk -v mode="$1" '
    function err(msg) { printf "line %d: %s\n", NR, msg }
    function continues(l) {
      if (l ~ /\\[ \t]+$/) err("a backslash followed by spaces continues the line (remove the spaces)")
      return l ~ /\\[ \t]*$/
    }
    BEGIN { cur = "default"; cont = 0 }
    NR == 1 { sub(/^\357\273\277/, "") }
    {
      sub(/\r$/, "")
      line = $0
      if (cont) { cont = continues(line); next }
      if (line ~ /^[ \t]*$/) next
      if (line ~ /^[ \t]*[#;]/ || (mode == "spec" && line ~ /^[ \t]*\*/)) {
        if (line ~ /\\[ \t]*$/) err("a comment ending in a backslash swallows the next line")
        next
      }
      if (line ~ /^[ \t]*\[/) {
        if (mode == "spec" && line !~ /^\[/) err("a stanza header in a .spec file must start in column 1")
        rest = line; sub(/^[ \t]*\[/, "", rest)
        if (index(rest, "]") == 0) { err("stanza header without a closing ]"); next }
        name = rest; sub(/\][^]]*$/, "", name)
        tail = rest; sub(/^.*\]/, "", tail)
        if (tail !~ /^[ \t]*$/) err("text after the stanza header: " tail)
        if (seen[name]++) err("duplicate stanza [" name "]")
        cur = name
        next
      }
      if (line ~ /^[ \t]*[^ \t=\[]+[ \t]*=/) {
        key = substr(line, 1, index(line, "=") - 1); gsub(/^[ \t]+|[ \t]+$/, "", key)
        if (mode == "spec" && line ~ /^[ \t]/) err("an indented setting in a .spec file: start it in column 1, or start a description line with *")
        if (have[cur SUBSEP key]++) err("duplicate key " key " in [" cur "]")
        cont = continues(line)
        next
      }
      if (line ~ /^[ \t]*=/) { err("a setting with no key"); next }
      if (mode == "spec" && line ~ /^[ \t]+[^ \t]/) next
      err("not a [stanza], a # comment or a key = value line: " line)
    }
    END { if (cont) err("the file ends in a continuation backslash") }
  ' "$2"
}

# ---------------------------------------------------------------- app.conf

readmes=()
while IFS= read -r -d '' f; do
  readmes+=("${f##*/}")
done < <(find "$APPDIR" -maxdepth 1 -type f -iname 'readme*' -print0 | sort -z)
if [[ ${#readmes[@]} -gt 0 ]]; then
  pass readme "${readmes[*]}"
else
  fail readme "no README file at the app root (README/ is for .spec files; add README.md or README.txt)"
fi

APP_CONF=$APPDIR/default/app.conf
if [[ ! -f $APP_CONF ]]; then
  fail default_app_conf "default/app.conf is missing"
else
  pass default_app_conf
  n0=$FAILS
  pkg_id=$(conf_get "$APP_CONF" package id) || pkg_id=
  id_name=$(conf_get "$APP_CONF" id name) || id_name=
  if [[ -z $pkg_id ]]; then
    fail package_id "[package] id is not set"
  else
    [[ $pkg_id =~ ^[A-Za-z0-9._-]+$ && $pkg_id != *. ]] ||
      fail package_id "[package] id '$pkg_id' may hold only letters, digits, '.', '_' and '-', and must not end with '.'"
    [[ $pkg_id == "$TOP" ]] || fail package_id "[package] id '$pkg_id' differs from the top folder '$TOP'"
  fi
  if [[ -n $id_name && $id_name != "$TOP" ]]; then
    fail package_id "[id] name '$id_name' differs from the top folder '$TOP'"
  fi
  [[ -n $id_name ]] || fail package_id "[id] name is not set"
  passed_since "$n0" && pass package_id "$pkg_id"

  v=$(conf_get "$APP_CONF" install is_configured) || v=
  case ${v,,} in
  0 | false | f | no | n | off) pass is_configured "$v" ;;
  "") fail is_configured "[install] is_configured is not set; set it to false" ;;
  *) fail is_configured "[install] is_configured = $v; AppInspect wants false" ;;
  esac

  v=$(conf_get "$APP_CONF" install build) || v=
  if [[ $v =~ ^[1-9][0-9]*$ ]]; then
    pass build_number "$v"
  else
    fail build_number "[install] build = '$v'; want a positive integer"
  fi

  n0=$FAILS
  semver='^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$'
  idv=$(conf_get "$APP_CONF" id version) || idv=
  lv=$(conf_get "$APP_CONF" launcher version) || lv=
  [[ -n $lv ]] || fail version_semver "[launcher] version is not set"
  [[ -n $idv ]] || fail version_semver "[id] version is not set"
  [[ -z $lv || $lv =~ $semver ]] || fail version_semver "[launcher] version '$lv' is not semver (MAJOR.MINOR.PATCH)"
  [[ -z $idv || $idv =~ $semver ]] || fail version_semver "[id] version '$idv' is not semver (MAJOR.MINOR.PATCH)"
  [[ -z $lv || -z $idv || $lv == "$idv" ]] || fail version_semver "[id] version $idv differs from [launcher] version $lv"
  if [[ -f $APPDIR/app.manifest ]]; then
    mv_=$(tr -d '\n' <"$APPDIR/app.manifest" | sed -n 's/.*"id"[^}]*"version"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p')
    [[ $mv_ == "$lv" ]] || fail version_semver "app.manifest version '$mv_' differs from [launcher] version $lv"
  fi
  passed_since "$n0" && pass version_semver "$lv"

  v=$(conf_get "$APP_CONF" package check_for_updates) || v=
  case ${v,,} in
  0 | false | f | no | n | off) pass check_for_updates "$v" ;;
  *) fail check_for_updates "[package] check_for_updates = '${v:-<unset, default true>}'; set it to false" ;;
  esac

  if grep -Eq '^[[:space:]]*install_source_checksum[[:space:]]*=' "$APP_CONF"; then
    fail no_install_source_checksum "default/app.conf sets install_source_checksum"
  else
    pass no_install_source_checksum
  fi
fi

n0=$FAILS
[[ ! -e $APPDIR/local ]] || fail no_local "the package has a local/ folder"
while IFS= read -r -d '' f; do
  fail no_local "${f#"$WORK/app"/} (local.meta)"
done < <(find "$APPDIR" -name local.meta -print0)
passed_since "$n0" && pass no_local

# ---------------------------------------------------------------- syntax

n0=$FAILS
count=0
while IFS= read -r -d '' f; do
  count=$((count + 1))
  while IFS= read -r problem; do
    fail conf_syntax "${f#"$APPDIR"/} $problem"
  done < <(conf_lint conf "$f")
done < <(find "$APPDIR" -type f \( -name '*.conf' -o -name '*.meta' \) -print0 | sort -z)
passed_since "$n0" && pass conf_syntax "$count files"

n0=$FAILS
count=0
while IFS= read -r -d '' f; do
  count=$((count + 1))
  while IFS= read -r problem; do
    fail spec_syntax "${f#"$APPDIR"/} $problem"
  done < <(conf_lint spec "$f")
done < <(find "$APPDIR" -type f -name '*.spec' -print0 | sort -z)
passed_since "$n0" && pass spec_syntax "$count files"

# ---------------------------------------------------------------- modular inputs

INPUTS_SPEC=$APPDIR/README/inputs.conf.spec
schemes=()
if [[ -f $INPUTS_SPEC ]]; then
  n0=$FAILS
  # "stanza<TAB>property count" for every stanza.
  stanzas=$(awk '
    { sub(/\r$/, "") }
    /^\[/ { s = $0; sub(/^\[/, "", s); sub(/\][^]]*$/, "", s); order[++n] = s; props[s] += 0; cur = s; next }
    /^[ \t]*[#;*]/ { next }
    /^[^ \t=\[]+[ \t]*=/ { if (cur != "") props[cur]++ }
    END { for (i = 1; i <= n; i++) printf "%s\t%d\n", order[i], props[order[i]] }
  ' "$INPUTS_SPEC")
  if [[ -z $stanzas ]]; then
    fail inputs_spec_stanzas "README/inputs.conf.spec has no stanza"
  fi
  while IFS=$'\t' read -r st np; do
    [[ -n $st ]] || continue
    if [[ $np -lt 1 ]]; then
      fail inputs_spec_stanzas "[$st] has no property (AppInspect needs at least one)"
    fi
    if [[ $st == *://* ]]; then
      scheme=${st%%://*}
      if [[ ! $scheme =~ ^[0-9a-zA-Z][0-9a-zA-Z_-]*$ ]]; then
        fail inputs_spec_stanzas "[$st]: scheme '$scheme' must match [0-9a-zA-Z][0-9a-zA-Z_-]*"
      fi
      case $scheme in
      batch | fifo | monitor | script | splunktcp | tcp | udp) fail inputs_spec_stanzas "[$st]: '$scheme' is a built-in input type" ;;
      esac
      schemes+=("$scheme")
    fi
  done <<<"$stanzas"
  passed_since "$n0" && pass inputs_spec_stanzas "${schemes[*]:-no modular input}"
else
  pass inputs_spec_stanzas "no README/inputs.conf.spec (no modular input)"
fi

n0=$FAILS
for scheme in "${schemes[@]}"; do
  for want in "linux_x86_64/bin/$scheme" "darwin_x86_64/bin/$scheme" "windows_x86_64/bin/$scheme.exe"; do
    found=0
    for i in "${!names[@]}"; do
      n=${names[i]#./}
      if [[ $n == "$TOP/$want" && ${types[i]} == f ]]; then
        found=1
        (((8#${modes[i]} & 8#111) == 8#111)) || fail modinput_executables "$want is not executable (mode ${modes[i]})"
      fi
    done
    [[ $found -eq 1 ]] || fail modinput_executables "$want is missing (scheme $scheme of README/inputs.conf.spec)"
  done
done
passed_since "$n0" && pass modinput_executables "${schemes[*]:-none}"

# ---------------------------------------------------------------- binaries

# hexbytes FILE OFFSET COUNT: the bytes as lower-case hex, no spaces.
hexbytes() { od -An -tx1 -j "$2" -N "$3" "$1" 2>/dev/null | tr -d ' \n'; }
# le FILE OFFSET COUNT: an unsigned little-endian integer.
le() {
  local h v=0 i
  h=$(hexbytes "$@")
  for ((i = ${#h} - 2; i >= 0; i -= 2)); do
    v=$((v * 256 + 16#${h:i:2}))
  done
  echo "$v"
}
# kind FILE: elf, macho, pe or other.
kind() {
  local m
  m=$(hexbytes "$1" 0 4)
  case $m in
  7f454c46) echo elf ;;
  cffaedfe | cefaedfe | feedfacf | feedface | cafebabe) echo macho ;;
  4d5a*) echo pe ;;
  *) echo other ;;
  esac
}
# elf_problem FILE: why FILE is not a static x86-64 ELF executable, or "".
elf_problem() {
  local f=$1 phoff phentsize phnum i
  [[ $(hexbytes "$f" 4 1) == 02 ]] || {
    echo "not a 64-bit ELF"
    return
  }
  [[ $(le "$f" 18 2) -eq 62 ]] || {
    echo "not x86-64 (e_machine $(le "$f" 18 2))"
    return
  }
  phoff=$(le "$f" 32 8)
  phentsize=$(le "$f" 54 2)
  phnum=$(le "$f" 56 2)
  for ((i = 0; i < phnum; i++)); do
    if [[ $(le "$f" $((phoff + i * phentsize)) 4) -eq 3 ]]; then
      echo "dynamically linked (has a PT_INTERP program header); build with CGO_ENABLED=0"
      return
    fi
  done
}
macho_problem() {
  [[ $(hexbytes "$1" 0 8) == cffaedfe07000001 ]] || echo "not a 64-bit x86_64 Mach-O file"
}
pe_problem() {
  local off
  off=$(le "$1" 60 4)
  [[ $(hexbytes "$1" "$off" 4) == 50450000 ]] || {
    echo "no PE header"
    return
  }
  [[ $(hexbytes "$1" $((off + 4)) 2) == 6486 ]] || echo "not x86-64 (machine 0x$(hexbytes "$1" $((off + 4)) 2))"
}

USE_FILE=0
if [[ -z ${CHECK_APP_NO_FILE:-} ]] && command -v file >/dev/null 2>&1; then
  USE_FILE=1
fi

n0=$FAILS
bin_files=()
while IFS= read -r -d '' f; do
  rel=${f#"$APPDIR"/}
  if in_bin "$(dirname "$rel")"; then
    bin_files+=("$rel")
  else
    case $(kind "$f") in
    elf) fail binaries_in_bin "$rel is an ELF binary outside a bin folder" ;;
    macho) fail binaries_in_bin "$rel is a Mach-O binary outside a bin folder" ;;
    pe) fail binaries_in_bin "$rel is a Windows (PE) binary outside a bin folder" ;;
    esac
  fi
done < <(find "$APPDIR" -type f -print0 | sort -z)
passed_since "$n0" && pass binaries_in_bin

n0=$FAILS
formats=()
for rel in "${bin_files[@]}"; do
  f=$APPDIR/$rel
  k=$(kind "$f")
  problem=
  desc=
  ((USE_FILE)) && desc=$(file -b "$f")
  case $rel in
  linux_x86_64/bin/* | linux_x86/bin/*)
    if [[ $k != elf ]]; then
      problem="not an ELF executable"
    elif ((USE_FILE)); then
      [[ $desc == *"ELF 64-bit"*"x86-64"* ]] || problem="not an x86-64 ELF executable ($desc)"
      [[ -n $problem || $desc == *"statically linked"* ]] || problem="not statically linked ($desc); build with CGO_ENABLED=0"
    else
      problem=$(elf_problem "$f")
    fi
    ;;
  darwin_x86_64/bin/* | darwin_x86/bin/*)
    if [[ $k != macho ]]; then
      problem="not a Mach-O executable"
    elif ((USE_FILE)); then
      [[ $desc == *"Mach-O 64-bit"*"x86_64"* ]] || problem="not an x86_64 Mach-O executable ($desc)"
    else
      problem=$(macho_problem "$f")
    fi
    ;;
  windows_x86_64/bin/* | windows_x86/bin/*)
    if [[ $rel != *.exe ]]; then
      problem="Windows programs must end in .exe (splunkd and AppInspect go by the extension)"
    elif [[ $k != pe ]]; then
      problem="not a PE executable"
    elif ((USE_FILE)); then
      [[ $desc == *"PE32+"*"x86-64"* ]] || problem="not a PE32+ x86-64 executable ($desc)"
    else
      problem=$(pe_problem "$f")
    fi
    ;;
  *)
    [[ $k == other ]] || problem="a $k binary in ${rel%/*}, which is no platform folder splunkd resolves"
    ;;
  esac
  if [[ -n $problem ]]; then
    fail binary_formats "$rel: $problem"
  else
    formats+=("$rel")
  fi
done
if passed_since "$n0"; then
  if ((USE_FILE)); then
    pass binary_formats "${#formats[@]} binaries (checked with file)"
  else
    pass binary_formats "${#formats[@]} binaries (checked by magic bytes)"
  fi
fi

# binaries_declared: the README section whose heading contains "Binary File
# Declaration", up to the next heading of the same or a higher level.
n0=$FAILS
declaration=
for r in "${readmes[@]}"; do
  section=$(awk '
    /^#+[ \t]/ {
      match($0, /^#+/); lvl = RLENGTH
      if (in_sec && lvl <= level) exit
      if ($0 ~ /Binary File Declaration/) { in_sec = 1; level = lvl; next }
    }
    !in_sec && /Binary File Declaration/ { in_sec = 1; level = 99; next }
    in_sec { print }
  ' "$APPDIR/$r")
  if [[ -n $section ]]; then
    declaration+=$section$'\n'
  fi
done
if [[ ${#bin_files[@]} -gt 0 && -z $declaration ]]; then
  fail binaries_declared "the README has no \"Binary File Declaration\" section listing the ${#bin_files[@]} files in bin folders"
else
  for rel in "${bin_files[@]}"; do
    grep -qF -- "$rel" <<<"$declaration" || fail binaries_declared "$rel is not listed in the README's Binary File Declaration"
  done
fi
passed_since "$n0" && pass binaries_declared "${#bin_files[@]} files"

# ---------------------------------------------------------------- custom confs

SPLUNK_CONFS=" alert_actions app audit authentication authorize bookmarks checklist collections commands
  crawl datamodels datatypesbnf default-mode deployment deploymentclient distsearch event_renderers
  eventdiscoverer eventtypes federated fields global-banner health indexes inputs instance limits
  literals livetail macros messages metric_alerts metric_rollups migration multikv outputs passwords
  procmon-filters props pubsub restmap savedsearches searchbnf segmenters server serverclass
  source-classifier sourcetypes splunk-launch tags telemetry times transactiontypes transforms
  ui-prefs ui-tour user-prefs user-seed viewstates visualizations web web-features wmi
  workflow_actions workload_policy workload_pools workload_rules "
custom=()
while IFS= read -r -d '' f; do
  c=$(basename "$f" .conf)
  [[ $SPLUNK_CONFS == *[[:space:]]"$c"[[:space:]]* ]] || custom+=("$c")
done < <(find "$APPDIR/default" -maxdepth 1 -type f -name '*.conf' -print0 2>/dev/null | sort -z)

n0=$FAILS
for c in "${custom[@]}"; do
  [[ -f $APPDIR/README/$c.conf.spec ]] || fail custom_conf_spec "default/$c.conf has no README/$c.conf.spec (btool check would reject its keys)"
done
passed_since "$n0" && pass custom_conf_spec "${custom[*]:-none}"
n0=$FAILS
for c in "${custom[@]}"; do
  v=$(conf_get "$APPDIR/default/server.conf" shclustering "conf_replication_include.$c") || v=
  case ${v,,} in
  1 | true | t | yes | y | on) ;;
  *) fail custom_conf_replication "default/server.conf lacks [shclustering] conf_replication_include.$c = true" ;;
  esac
done
passed_since "$n0" && pass custom_conf_replication "${custom[*]:-none}"
n0=$FAILS
for c in "${custom[@]}"; do
  conf_get "$APP_CONF" triggers "reload.$c" >/dev/null ||
    fail custom_conf_reload "default/app.conf lacks [triggers] reload.$c (simple is enough)"
done
passed_since "$n0" && pass custom_conf_reload "${custom[*]:-none}"

# ---------------------------------------------------------------- views

VIEWS=$APPDIR/default/data/ui/views
n0=$FAILS
if [[ -f $APP_CONF ]]; then
  visible=$(conf_get "$APP_CONF" ui is_visible) || visible=
  case ${visible,,} in
  1 | true | t | yes | y | on)
    nav=$APPDIR/default/data/ui/nav/default.xml
    if [[ ! -f $nav ]]; then
      fail ui_views "[ui] is_visible = $visible but default/data/ui/nav/default.xml is missing (Splunk Web would show an empty app)"
    else
      dv=$(tr '\n' ' ' <"$nav" | grep -o '<view [^>]*default="true"[^>]*>' | sed -n 's/.*name="\([^"]*\)".*/\1/p' | head -n 1)
      if [[ -z $dv ]]; then
        fail ui_views "default/data/ui/nav/default.xml has no <view name=... default=\"true\"/>"
      elif [[ ! -f $VIEWS/$dv.xml ]]; then
        fail ui_views "the nav's default view $dv has no default/data/ui/views/$dv.xml"
      fi
    fi
    ;;
  esac
  if sv=$(conf_get "$APP_CONF" ui setup_view) && [[ -n $sv ]]; then
    [[ -f $VIEWS/$sv.xml ]] || fail ui_views "[ui] setup_view = $sv but default/data/ui/views/$sv.xml is missing"
  fi
fi
passed_since "$n0" && pass ui_views

n0=$FAILS
count=0
while IFS= read -r -d '' f; do
  count=$((count + 1))
  for attr in script stylesheet; do
    list=$(tr '\n' ' ' <"$f" | grep -o "<\(dashboard\|form\)[^>]*>" | head -n 1 | sed -n "s/.*[[:space:]]$attr=\"\([^\"]*\)\".*/\1/p")
    IFS=, read -r -a assets <<<"$list"
    for a in "${assets[@]}"; do
      a=${a// /}
      [[ -n $a ]] || continue
      [[ $a == *:* ]] && continue # another app's asset (app:file)
      [[ -f $APPDIR/appserver/static/$a ]] || fail view_assets "${f#"$APPDIR"/} loads $attr $a, which is not in appserver/static"
    done
  done
done < <(find "$VIEWS" -type f -name '*.xml' -print0 2>/dev/null | sort -z)
while IFS= read -r -d '' f; do
  [[ -f $(dirname "$f")/wasm_exec.js ]] || fail view_assets "${f#"$APPDIR"/} has no wasm_exec.js beside it (Go's WebAssembly runtime, from \$(go env GOROOT)/lib/wasm)"
done < <(find "$APPDIR/appserver/static" -type f -name '*.wasm' -print0 2>/dev/null | sort -z)
passed_since "$n0" && pass view_assets "$count views"

n0=$FAILS
count=0
while IFS= read -r -d '' f; do
  count=$((count + 1))
  while IFS= read -r hit; do
    m=${hit#*:}
    m=${m#"${m%%[a-z]*}"}
    fail js_no_dynamic_code "${f#"$APPDIR"/}:${hit%%:*} runs code built at run time ($m); Splunk Cloud vetting rejects it"
  done < <(grep -noE '(^|[^A-Za-z0-9_.])eval[[:space:]]*\(|new[[:space:]]+Function[[:space:]]*\(|document\.write(ln)?[[:space:]]*\(' "$f")
done < <(find "$APPDIR" -type f -name '*.js' -print0 2>/dev/null | sort -z)
passed_since "$n0" && pass js_no_dynamic_code "$count files"

n0=$FAILS
while IFS= read -r -d '' f; do
  while IFS= read -r line; do
    w=${line#*write}
    w=${w%%]*}
    if [[ $line == *write* && $w =~ (^|[^a-z_])admin([^a-z_]|$) && ! $w =~ sc_admin ]]; then
      fail meta_sc_admin "${f#"$APPDIR"/}: '$line' grants write to admin but not sc_admin"
    fi
  done < <(grep -E '^[[:space:]]*access[[:space:]]*=' "$f")
done < <(find "$APPDIR/metadata" -type f -name '*.meta' -print0 2>/dev/null)
passed_since "$n0" && pass meta_sc_admin

finish
