"""The inside of the device-fault tests: a mount that refuses writes or fails reads, made by the kernel.

Run as root inside a private mount namespace (`unshare -m --propagation private python mount_child.py ...`),
so every mount made here vanishes with the process, and the loop device (mounted with `-o loop`, which
clears itself) with it:

    read-only FOLDER MOUNT TIMES -- CMD...   bind-mount FOLDER read-only at MOUNT (EROFS even for root)
    pinned FILE TIMES -- CMD...              bind-mount FILE onto itself: the file reads and writes as
                                             ever, but a rename onto its name fails with EBUSY (a mount
                                             point), even for root
    device-error VAULT MOUNT PAGES TIMES -- CMD...
                                             copy VAULT into a fresh ext4 file system on a loop device at
                                             MOUNT, then cut the device short PAGES pages into the vault's
                                             data: reading past there fails with EIO from the block layer
                                             ("attempt to access beyond end of device"), as a failing disk
                                             or a pulled USB stick does; the file system itself stays
                                             writable

then runs CMD TIMES times and prints one JSON line per run: {"code": exit code, "stderr": text, "stdout":
text}.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

BLOCK = 4096


def sh(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def device_error(vault: Path, mount: Path, pages: int) -> None:
    image = mount.parent / "disk.img"
    with image.open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)
    sh("mkfs.ext4", "-q", "-F", "-b", str(BLOCK), str(image))
    sh("mount", "-o", "loop,errors=continue", str(image), str(mount))  # the loop device clears itself
    shutil.copyfile(vault, mount / vault.name)
    sh("sync")
    first = sh("filefrag", "-v", "-b4096", str(mount / vault.name)).split("\n")
    extent = next(line for line in first if line.strip().startswith("0:"))
    start = int(extent.split(":")[2].split("..")[0].strip())  # physical block of the file's first page
    device = sh("findmnt", "-n", "-o", "SOURCE", str(mount)).strip()
    fd = os.open(mount / vault.name, os.O_RDONLY)
    try:  # nothing of the file left in the page cache: every read goes to the device
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    with image.open("r+b") as handle:
        handle.truncate((start + pages) * BLOCK)
    sh("losetup", "-c", device)  # the device now ends inside the vault


def main() -> None:
    split = sys.argv.index("--")
    mode, *args = sys.argv[1:split]
    command = sys.argv[split + 1 :]
    if mode == "read-only":
        folder, mount, times = Path(args[0]), Path(args[1]), int(args[2])
        sh("mount", "--bind", str(folder), str(mount))
        sh("mount", "-o", "remount,bind,ro", str(mount))
    elif mode == "pinned":
        target, times = Path(args[0]), int(args[1])
        sh("mount", "--bind", str(target), str(target))
    elif mode == "device-error":
        vault, mount, pages, times = Path(args[0]), Path(args[1]), int(args[2]), int(args[3])
        device_error(vault, mount, pages)
    else:
        raise SystemExit(f"unknown mode {mode}")
    for _ in range(times):
        proc = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
        print(json.dumps({"code": proc.returncode, "stderr": proc.stderr, "stdout": proc.stdout}, ensure_ascii=False),
              flush=True)


if __name__ == "__main__":
    main()
