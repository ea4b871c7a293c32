package dev.hikkoshi.data.verify;

/** A chunk's row count and the BIT_XOR of its rows' 64-bit hashes, as one server computed them. */
record ChunkChecksum(long rows, String hashSum) {
}
