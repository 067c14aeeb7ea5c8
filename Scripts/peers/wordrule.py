"""The word rule and the evaluation files shared by the word-vector peer drivers.

Words: lower-case the line, split it on every run of characters that are neither word characters
nor apostrophes, drop empty pieces. TinyEncoder's `WordTokenizer` applies the same rule, so both
sides count and train on the same tokens. Not handled: any other normalisation (accents, digits).
"""
import os
import re
import sys

_SPLIT = re.compile(r"[^\w']+")


def words(line):
    """The words of one line under the shared rule."""
    return [w for w in _SPLIT.split(line.lower()) if w]


def data_file(data_dir, name):
    """DATA_DIR/name, where DATA_DIR is --data-dir or the DATA_DIR environment variable.

    Returns None when neither is set (the caller then skips that evaluation); exits with a message
    naming the file when the folder is set but the file is missing.
    """
    folder = data_dir or os.environ.get("DATA_DIR")
    if not folder:
        return None
    path = os.path.join(folder, name)
    if not os.path.exists(path):
        sys.exit(f"{name} not found in {folder}: pass --data-dir (or DATA_DIR) pointing to the folder "
                 f"that holds wordsim353.tsv, questions-words.txt and supersense-*.tsv")
    return path
