package sinks.jdbc;

import model.TableRouting;
import org.apache.camel.Category;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import sinks.SinkEndpoint;


/**
 * The JDBC upsert sink in a hand-written route: each batch in one transaction, inserts and updates as upserts by
 * primary key, deletes by key, per-key order kept (docs/sinks/jdbc.md).
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tributary-jdbc", title = "Tributary JDBC upsert", syntax = "tributary-jdbc:name",
        producerOnly = true, category = {Category.DATABASE})
public class JdbcSinkEndpoint extends SinkEndpoint {

    @UriParam(description = "JDBC URL of the target database (PostgreSQL, MySQL, MariaDB, SQL Server, or any with a generic dialect)")
    @Metadata(required = true)
    private String url;
    @UriParam(description = "Database user")
    @Metadata(required = true)
    private String user;
    @UriParam(label = "security", secret = true, description = "Database password; ${env:NAME} reads it from the environment")
    @Metadata(required = true)
    private String password;
    @UriParam(defaultValue = "false", description = "Create a missing target table from the change's columns")
    private Boolean autoCreate;
    @UriParam(defaultValue = "false", description = "Add columns the target table lacks")
    private Boolean autoEvolve;
    @UriParam(defaultValue = "1000", description = "Rows per statement batch")
    private Integer batchSize;
    @UriParam(defaultValue = "fail", enums = "fail,insert", description = "A table without a primary key: fail, or insert its changes (updates and deletes skipped, counted)")
    private String noPrimaryKey;
    @UriParam(label = "routing", description = "The target table, {schema} and {table} replaced (default: the source table's name)")
    private String target;

    public JdbcSinkEndpoint(String uri, sinks.SinkComponent component) {
        super(uri, component);
    }

    @Override
    protected String type() {
        return "jdbc";
    }

    @Override
    protected TableRouting templateRouting() {
        return routing(null, target, null, null);
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public String getUser() {
        return user;
    }

    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Boolean getAutoCreate() {
        return autoCreate;
    }

    public void setAutoCreate(Boolean autoCreate) {
        this.autoCreate = autoCreate;
    }

    public Boolean getAutoEvolve() {
        return autoEvolve;
    }

    public void setAutoEvolve(Boolean autoEvolve) {
        this.autoEvolve = autoEvolve;
    }

    public Integer getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(Integer batchSize) {
        this.batchSize = batchSize;
    }

    public String getNoPrimaryKey() {
        return noPrimaryKey;
    }

    public void setNoPrimaryKey(String noPrimaryKey) {
        this.noPrimaryKey = noPrimaryKey;
    }

    public String getTarget() {
        return target;
    }

    public void setTarget(String target) {
        this.target = target;
    }
}
