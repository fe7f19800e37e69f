#!/usr/bin/env bash
# Build fcitx5-qt's Qt 6 input-context plugin (libfcitx5platforminputcontextplugin.so) for the Qt inside the
# PySide6 wheel, so that the frozen Linux build can talk to fcitx5 directly. docs/platforms.md explains why
# and gives the whole procedure; in short:
#
#   The plugin uses Qt's private API (QPlatformInputContext and friends), so it must be compiled against the
#   private headers of exactly the Qt version in the wheel (PySide6 6.8.2.1 = Qt 6.8.2), which the wheel does
#   not ship. Debian 13 (trixie) has Qt 6.8.2: its qt6-base-dev and qt6-base-private-dev give the headers and
#   its moc the meta-object code. The compile itself runs on the oldest release the build supports (the
#   same machine or container as the PyInstaller build), linking against the wheel's own Qt libraries, so
#   the plugin asks no newer glibc than the rest of the build.
#
# Two stages, because trixie's moc does not run on an old release (moc output is plain C++ and portable):
#
#   scripts/build_fcitx5_plugin.sh moc      on a machine with Qt 6.8.2's moc (e.g. Debian 13, qt6-base-dev-tools)
#   scripts/build_fcitx5_plugin.sh compile  on the build machine (e.g. Debian 11), with g++ >= 10,
#                                           libxkbcommon-dev and libxcb1-dev
#
# Environment (the same paths in both stages):
#   FCITX5_QT_SRC  fcitx5-qt source tree (tag 5.1.9, or Debian's fcitx5-qt source package of trixie)
#   WORK           scratch folder for generated files and objects (shared between the stages)
#   MOC            moc of the wheel's Qt version            (stage moc; default /usr/lib/qt6/libexec/moc)
#   QT_INCLUDE     Qt 6 include root with QtCore/6.8.2/... private headers (stage compile; Debian's
#                  /usr/include/x86_64-linux-gnu/qt6 from trixie's qt6-base-dev + qt6-base-private-dev)
#   QT_LIB         the wheel's Qt libraries, e.g. .venv/lib/python3.11/site-packages/PySide6/Qt/lib
#   OUT            where to put the plugin (default $WORK/platforminputcontexts)
#
# Wayland's candidate-window workaround is left out (it needs QtWaylandClient's private headers too); the
# plugin works on X11 and XWayland, and under Wayland through the text-input protocol the compositor offers.
set -euo pipefail

stage="${1:?usage: build_fcitx5_plugin.sh moc|compile}"
: "${FCITX5_QT_SRC:?set FCITX5_QT_SRC to the fcitx5-qt source tree}"
: "${WORK:?set WORK to a scratch folder}"
SRC="$FCITX5_QT_SRC/qt6"
PIC="$SRC/platforminputcontext"
DBUS="$SRC/dbusaddons"
GEN="$WORK/gen"
mkdir -p "$GEN"

plugin_sources=(fcitx4watcher fcitx4inputcontextproxy fcitx4inputcontextproxyimpl fcitx4inputmethodproxy
  hybridinputcontext qfcitxplatforminputcontext fcitxcandidatewindow fcitxtheme font qtkey main)
dbus_sources=(fcitxqtwatcher fcitxqtdbustypes fcitxqtinputcontextproxy fcitxqtinputcontextproxyimpl
  fcitxqtinputmethodproxy fcitxqtcontrollerproxy)

# What CMake would configure: the plugin's metadata (keys "fcitx" and "fcitx5") and the export header of
# the D-Bus addons, which are compiled into the plugin (BUILD_ONLY_PLUGIN, static define).
sed 's/@FCITX5_QT_EXTRA_PLUGIN_NAME@/"fcitx",/' "$PIC/fcitx5.json.in" >"$GEN/fcitx5.json"
cat >"$GEN/fcitx5qt6dbusaddons_export.h" <<'EOF'
#ifndef FCITX5QT6DBUSADDONS_EXPORT_H
#define FCITX5QT6DBUSADDONS_EXPORT_H
#define FCITX5QT6DBUSADDONS_EXPORT
#define FCITX5QT6DBUSADDONS_NO_EXPORT
#define FCITX5QT6DBUSADDONS_DEPRECATED __attribute__((__deprecated__))
#endif
EOF

FCITX5_QT_VERSION="$(sed -n 's/^project(fcitx5-qt VERSION \([0-9.]*\))/\1/p' "$FCITX5_QT_SRC/CMakeLists.txt")"
DEFINES=(-DFCITX5_QT_VERSION="\"$FCITX5_QT_VERSION\"" -DFCITX_GETTEXT_DOMAIN='"fcitx5-qt"' -DENABLE_X11
  -DFCITX5_QT_WITH_FCITX_NAME -DFCITX5QT6DBUSADDONS_STATIC_DEFINE -DQT_NO_DEBUG
  "-DFCITX_PLUGIN_DATA_FILE_PATH=\"$GEN/fcitx5.json\"")

# Qt's headers, private ones included: QtCore/6.8.2/QtCore/private/... (both stages: moc expands Qt's macros).
QT_INCLUDE="${QT_INCLUDE:-/usr/include/x86_64-linux-gnu/qt6}"
version="$(ls "$QT_INCLUDE/QtCore" | grep -E '^6\.[0-9]+\.[0-9]+$' | head -1)"
[[ -n "$version" ]] || { echo "no private headers (QtCore/6.x.y) in $QT_INCLUDE" >&2; exit 1; }
includes=(-I"$GEN" -I"$PIC" -I"$DBUS" -I"$FCITX5_QT_SRC/common" -I"$QT_INCLUDE")
for module in QtCore QtGui QtDBus QtWidgets; do
  includes+=(-I"$QT_INCLUDE/$module" -I"$QT_INCLUDE/$module/$version" -I"$QT_INCLUDE/$module/$version/$module")
done

case "$stage" in
moc)
  MOC="${MOC:-/usr/lib/qt6/libexec/moc}"
  "$MOC" --version
  for dir in "$PIC" "$DBUS"; do
    for header in "$dir"/*.h; do
      grep -q Q_OBJECT "$header" || continue
      name="$(basename "$header" .h)"
      "$MOC" "${DEFINES[@]}" "${includes[@]}" "$header" -o "$GEN/moc_$name.cpp"
    done
  done
  echo "moc: $(ls "$GEN"/moc_*.cpp | wc -l) files in $GEN"
  ;;
compile)
  : "${QT_LIB:?set QT_LIB to the Qt lib folder of the wheel}"
  OUT="${OUT:-$WORK/platforminputcontexts}"
  CXXFLAGS=(-std=c++17 -O2 -fPIC -fvisibility=hidden -fvisibility-inlines-hidden -Wall -Wno-deprecated-declarations)
  objects=()
  mkdir -p "$WORK/obj" "$OUT"
  for name in "${plugin_sources[@]/#/$PIC/}" "${dbus_sources[@]/#/$DBUS/}" "$GEN"/moc_*; do
    source="${name%.cpp}.cpp"
    object="$WORK/obj/$(basename "$source" .cpp).o"
    g++ "${CXXFLAGS[@]}" "${DEFINES[@]}" "${includes[@]}" -c "$source" -o "$object"
    objects+=("$object")
  done
  # Linked against the wheel's Qt by soname; $ORIGIN/../../lib is where the wheel's own plugins find it.
  g++ -shared -o "$OUT/libfcitx5platforminputcontextplugin.so" "${objects[@]}" \
    -Wl,--no-undefined -Wl,--as-needed -Wl,-rpath,'$ORIGIN/../../lib' \
    "$QT_LIB/libQt6Widgets.so.6" "$QT_LIB/libQt6Gui.so.6" "$QT_LIB/libQt6DBus.so.6" "$QT_LIB/libQt6Core.so.6" \
    -lxkbcommon -lxcb
  # build.spec reads this and refuses a plugin made for another Qt than the wheel it builds with.
  printf '{"qt": "%s", "fcitx5-qt": "%s"}\n' "$version" "$FCITX5_QT_VERSION" >"$OUT/fcitx5-plugin.json"
  echo "compile: $OUT/libfcitx5platforminputcontextplugin.so (Qt $version headers, fcitx5-qt $FCITX5_QT_VERSION)"
  ;;
*)
  echo "usage: build_fcitx5_plugin.sh moc|compile" >&2
  exit 2
  ;;
esac
