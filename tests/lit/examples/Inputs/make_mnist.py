"""Writes a small MNIST-like folder: IDX files of 28x28 images whose class
is drawn as a bright bar at a class-dependent row, so a CNN can learn it.

    make_mnist.py FOLDER TRAIN TEST [--gzip]
"""
import gzip
import os
import random
import struct
import sys


def write(path, magic, dims, data, compress):
    blob = struct.pack(">I", magic) + b"".join(struct.pack(">I", d) for d in dims)
    blob += bytes(data)
    opener = gzip.open if compress else open
    with opener(path + (".gz" if compress else ""), "wb") as f:
        f.write(blob)


def split(folder, prefix, n, rng, compress):
    images, labels = [], []
    for _ in range(n):
        label = rng.randrange(10)
        image = [rng.randrange(40) for _ in range(28 * 28)]
        row = 2 + 2 * label
        for col in range(4, 24):
            image[row * 28 + col] = 255
        images += image
        labels.append(label)
    write(os.path.join(folder, prefix + "-images-idx3-ubyte"), 0x803, [n, 28, 28], images, compress)
    write(os.path.join(folder, prefix + "-labels-idx1-ubyte"), 0x801, [n], labels, compress)


folder, train, test = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
compress = "--gzip" in sys.argv
os.makedirs(folder, exist_ok=True)
rng = random.Random(0)
split(folder, "train", train, rng, compress)
split(folder, "t10k", test, rng, compress)
