// Package appcheck checks a Splunk app package (a gzip-compressed tar,
// .tgz or .spl) against the AppInspect rules that apply to SA-Eventgen: a
// binary-shipping app with a modular input and a custom eventgen.conf
// (splunk-platform.md §4.5 and §4.6). It reads the archive in memory with
// archive/tar, every .conf and .meta file with the project's Splunk .conf
// reader (package conf), and the programs with debug/elf, debug/macho and
// debug/pe; nothing is extracted to disk.
//
// [Check] returns a [Report] with one [Result] per rule that holds and
// one per problem found. The rules (AppInspect check names in brackets
// where one exists):
//
//	package_compression    a real gzip file that decompresses [check_package_compression]
//	member_names           no "./" prefix, no absolute path, no ".." [check_that_splunk_app_package_does_not_contain_files_outside_of_app]
//	member_types           only regular files and directories (no links or devices)
//	single_top_dir         one top folder, everything inside it [check_that_splunk_app_package_extracts_to_visible_directory]
//	no_hidden_files        no dotfile or dot-directory, no __MACOSX [..._does_not_contain_prohibited_directories_or_files]
//	no_compiled_python     no .pyc/.pyo [check_for_compiled_python]
//	no_build_leftovers     no *~ *.swp *.orig *.rej *.bak *.tmp *.test *.out
//	no_world_writable      no world-writable file or directory
//	owner_permissions      the owner can read and write every file and enter every directory [..._invalid_permissions]
//	executables_in_bin     executable files only inside folders named bin [check_for_bin_files]
//	file_modes             directories 0755, files in bin folders 0755, other files 0644
//	package_size           the package is under 1 GiB (Splunkbase limit); reports sizes
//	readme                 a README file at the app root [check_basic_readme]
//	default_app_conf       default/app.conf exists [check_that_extracted_splunk_app_contains_default_app_conf_file]
//	package_id             [package] id is valid and equals [id] name and the top folder [check_for_valid_package_id]
//	is_configured          [install] is_configured = false
//	build_number           [install] build is a positive integer
//	version_semver         [id] and [launcher] versions are semver and equal, and app.manifest's if present [check_version_is_valid_semver]
//	check_for_updates      [package] check_for_updates = false [check_for_updates_disabled]
//	no_install_source_checksum  app.conf has no install_source_checksum
//	no_local               no local/ folder, no local.meta
//	conf_syntax            every .conf and .meta file reads as Splunk reads it, without warnings
//	spec_syntax            every README/*.spec file too, with "*" description lines
//	inputs_spec_stanzas    README/inputs.conf.spec has stanzas, each with a property, with valid scheme names [check_inputs_conf_spec_*]
//	modinput_executables   every scheme has <scheme> in linux_x86_64/bin and darwin_x86_64/bin and <scheme>.exe in windows_x86_64/bin [check_modular_inputs_scripts_exist]
//	binaries_in_bin        ELF, Mach-O and PE files only inside folders named bin
//	binary_formats         linux_x86_64: static ELF x86-64; darwin_x86_64: Mach-O x86_64; windows_x86_64: PE32+ x86-64 .exe
//	binaries_declared      every file in a bin folder is named in the README's "Binary File Declaration" [check_platform_specific_binaries]
//	custom_conf_spec       each custom .conf in default/ has README/<name>.conf.spec
//	custom_conf_replication  ... and server.conf [shclustering] conf_replication_include.<name> = true [check_custom_conf_replication]
//	custom_conf_reload     ... and app.conf [triggers] reload.<name> [check_reload_trigger_for_all_custom_confs]
//	ui_views               a visible app has default/data/ui/nav/default.xml whose default view exists; [ui] setup_view names an existing view
//	view_assets            every script= and stylesheet= of a view is in appserver/static; a .wasm there has Go's wasm_exec.js beside it
//	js_no_dynamic_code     no eval(, new Function( or document.write( in the app's JavaScript [check_for_remote_code_execution_in_javascript, Cloud]
//	meta_sc_admin          metadata that grants write to admin grants it to sc_admin too [check_kos_are_accessible]
//
// The rules were first written as scripts/check-app.sh (bash and awk).
// The differences: .conf files are read by package conf, so a line
// starting with ";" is not a comment (Splunk knows only "#"; AppInspect's
// parser and the old awk took ";" as one) and fails conf_syntax; binaries
// are read with the debug packages rather than file(1) or magic bytes, so
// a damaged binary is reported as such; file_modes compares all twelve
// mode bits, so a setuid or sticky bit fails it.
package appcheck
