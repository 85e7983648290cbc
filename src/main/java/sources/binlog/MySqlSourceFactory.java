package sources.binlog;

import java.util.Map;

/** The {@code mysql} source plug-in: Debezium's MySQL connector. */
public final class MySqlSourceFactory extends BinlogSourceFactory {

    @Override
    public String type() {
        return "mysql";
    }

    @Override
    protected void flavourOptions(Map<String, String> o) {
    }
}
