package dev.hikkoshi.data.schema;

/** Which server family a {@link ServerInfo} describes; their version numbers and features differ. */
public enum ServerFlavour {
    MYSQL, MARIADB
}
