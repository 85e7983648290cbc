package sources.binlog;

import java.util.Map;

/** The {@code mariadb} source plug-in: Debezium's native MariaDB connector (GTIDs) on camel-debezium's mysql endpoint. */
public final class MariaDbSourceFactory extends BinlogSourceFactory {

    @Override
    public String type() {
        return "mariadb";
    }

    @Override
    protected void flavourOptions(Map<String, String> o) {
        o.put("additionalProperties.connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        o.put("topicNamingStrategy", "io.debezium.schema.DefaultTopicNamingStrategy");
        o.put("sourceinfoStructMaker", "io.debezium.connector.mariadb.MariaDbSourceInfoStructMaker");
        o.put("databaseSslMode", "disable"); // Camel's default 'preferred' is not a MariaDB connector value
    }
}
