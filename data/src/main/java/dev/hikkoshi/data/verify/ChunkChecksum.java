package dev.hikkoshi.data.verify;

/** A chunk's row count and the exact sum of its rows' 64-bit hashes, as one server computed them. */
record ChunkChecksum(long rows, String hashSum) {
}
