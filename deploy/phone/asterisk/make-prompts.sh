#!/bin/sh
# Generate the German prompts of extensions.conf with a local text-to-speech engine (no cloud service).
#
# What: writes /var/lib/asterisk/sounds/de/custom/meetkit-*.wav (8 kHz, mono, 16 bit: Asterisk's format).
# Why:  the dialplan plays named prompts; recorded human voices sound better, so replace the files with
#       recordings of the same texts whenever you can (same names, same format).
# For:  Debian 12: apt-get install libttspico-utils sox   (libttspico-utils is in the non-free section)
# Run:  sh make-prompts.sh [target directory]
set -eu
target="${1:-/var/lib/asterisk/sounds/de/custom}"
mkdir -p "$target"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say() {  # say NAME TEXT
    pico2wave -l de-DE -w "$tmp/$1.wav" "$2"
    sox "$tmp/$1.wav" -r 8000 -c 1 -b 16 "$target/$1.wav"
}

say meetkit-willkommen "Willkommen bei der Telefon-Einwahl Ihrer Selbsthilfegruppe."
say meetkit-pin-eingeben "Bitte geben Sie die PIN Ihrer Gruppe ein und drücken Sie danach die Raute-Taste."
say meetkit-pin-falsch "Diese PIN kennen wir leider nicht. Bitte versuchen Sie es noch einmal."
say meetkit-verbinden "Vielen Dank. Sie werden jetzt mit Ihrer Gruppe verbunden."
say meetkit-zu-viele-versuche "Die PIN war leider dreimal nicht richtig. Die PIN steht auf Ihrer Einladung. Auf Wiederhören."
say meetkit-stoerung "Es gibt gerade eine technische Störung. Bitte versuchen Sie es später noch einmal. Auf Wiederhören."

chown -R asterisk:asterisk "$target" 2>/dev/null || true
echo "prompts written to $target"
