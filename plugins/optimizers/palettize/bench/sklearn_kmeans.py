#!/usr/bin/python3
"""scikit-learn KMeans on the weights palettize_bench wrote (--dump FILE.npy): seconds and MSE.

    build-pal/bin/palettize_bench --dump /tmp/weights.npy
    /usr/bin/python3 plugins/optimizers/palettize/bench/sklearn_kmeans.py /tmp/weights.npy

Needs python3-sklearn (apt-get install -y python3-sklearn).
"""
import argparse
import time

import numpy as np
from sklearn.cluster import KMeans


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("weights", help="1-D float32 .npy written by palettize_bench --dump")
    parser.add_argument("--clusters", type=int, default=16)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    x = np.load(args.weights).astype(np.float32).reshape(-1, 1)
    start = time.perf_counter()
    km = KMeans(n_clusters=args.clusters, n_init=1, random_state=args.seed).fit(x)
    seconds = time.perf_counter() - start
    centers = km.cluster_centers_.ravel().astype(np.float64)
    mse = np.mean((x.ravel().astype(np.float64) - centers[km.labels_]) ** 2)
    print(f"sklearn KMeans(n_clusters={args.clusters}, n_init=1) on n={x.shape[0]}: "
          f"{seconds:.2f} s, MSE {mse:.6e}, {km.n_iter_} iterations")


if __name__ == "__main__":
    main()
