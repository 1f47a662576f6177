#!/usr/bin/env bash
# Test photos from Debian's python3-skimage package (public-domain / CC0 images, see the package's
# copyright file). They are never committed: this script fetches the .deb once into .cache/ and copies
# the four photos into tests/FaceFunctions.Detection.Tests/Fixtures/skimage/ (git-ignored).
# Idempotent, and fast when the photos are already in place with the right hashes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
package="python3-skimage"
version="0.19.3-8"
deb_sha256="728d88c3e3440f1f3712de0805dc834d29248ff07e1eec8c0f3da07606f752f9"
cache="$root/.cache/fixtures"
dest="$root/tests/FaceFunctions.Detection.Tests/Fixtures/skimage"
data_dir="usr/lib/python3/dist-packages/skimage/data"

# sha256 of each photo as shipped in python3-skimage 0.19.3-8.
declare -A photos=(
  [astronaut.png]=88431cd9653ccd539741b555fb0a46b61558b301d4110412b5bc28b5e3ea6cb5
  [camera.png]=b0793d2adda0fa6ae899c03989482bff9a42d3d5690fc7e3648f2795d730c23a
  [chelsea.png]=596aa1e7cb875eb79f437e310381d26b338a81c2da23439704a73c4651e8c4bb
  [coffee.png]=cc02f8ca188b167c775a7101b5d767d1e71792cf762c33d6fa15a4599b5a8de7
)

verified() { echo "$2  $1" | sha256sum --check --status 2>/dev/null; }

all_present=1
for name in "${!photos[@]}"; do
  verified "$dest/$name" "${photos[$name]}" || { all_present=0; break; }
done
if [ "$all_present" = 1 ]; then
  echo "fixtures: skimage photos present"
  exit 0
fi

mkdir -p "$cache" "$dest"
deb="$cache/${package}_${version}_all.deb"
if ! verified "$deb" "$deb_sha256"; then
  rm -f "$deb"
  # apt-get download writes into the current directory; _apt cannot always write there, which only
  # costs a warning.
  if ! (cd "$cache" && apt-get download "$package=$version"); then
    apt-get update -qq
    (cd "$cache" && apt-get download "$package=$version")
  fi
  verified "$deb" "$deb_sha256" || { echo "fixtures: $deb does not have sha256 $deb_sha256" >&2; exit 1; }
fi

extract="$cache/$package-$version"
rm -rf "$extract"
dpkg-deb -x "$deb" "$extract"
for name in "${!photos[@]}"; do
  cp "$extract/$data_dir/$name" "$dest/$name"
  verified "$dest/$name" "${photos[$name]}" || { echo "fixtures: $name does not have sha256 ${photos[$name]}" >&2; exit 1; }
done
rm -rf "$extract"
echo "fixtures: copied ${!photos[*]} from $package $version"
