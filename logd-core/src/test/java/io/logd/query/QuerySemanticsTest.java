package io.logd.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.logd.event.EventId;
import io.logd.event.Facility;
import io.logd.event.LogEvent;
import io.logd.event.Severity;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.index.FieldType;
import io.logd.index.LogAnalyzer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.lucene.document.IntField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The query language's semantics, as a table: real-world log events are indexed with the {@link
 * DocumentMapper} into an in-memory index, and each query is checked for exactly the events it
 * matches (under the tenant filter every search gets).
 */
class QuerySemanticsTest {
  private static final int TENANT = 1;
  private static final long T0 = 1_795_428_000_000_000_000L; // 2026-11-23T10:00:00Z

  private static final Map<String, LogEvent> EVENTS = new LinkedHashMap<>();
  private static final List<String> LABELS = new ArrayList<>();
  private static ByteBuffersDirectory dir;
  private static DirectoryReader reader;
  private static IndexSearcher searcher;
  private static FieldSchema schema;
  private static final LogQueryParser PARSER = new LogQueryParser();

  private static LogEvent.Builder at(int second) {
    return LogEvent.builder().timestampNanos(T0 + second * 1_000_000_000L).receivedNanos(T0 + second * 1_000_000_000L);
  }

  private static LogEvent.Builder nginx(int second, String host, String line) {
    return at(second).host(host).service("nginx").facility(Facility.LOCAL7).message(line);
  }

  @BeforeAll
  static void index() throws IOException {
    EVENTS.put("n1", nginx(0, "web-1", "10.1.2.3 - - [23/Nov/2026:10:00:00 +0000] \"GET /api/v1/users/42 HTTP/1.1\" 200 512 \"-\" \"curl/8.5.0\"")
        .level(Severity.INFO).field("method", "GET").field("path", "/api/v1/users/42").field("status", 200).field("bytes", 512)
        .field("client_ip", "10.1.2.3").field("request_time", 0.004).field("user_agent", "curl/8.5.0").build());
    EVENTS.put("n2", nginx(1, "web-2", "10.1.2.30 - - [23/Nov/2026:10:00:01 +0000] \"POST /api/v1/orders HTTP/1.1\" 500 87 \"-\" \"Go-http-client/1.1\"")
        .level(Severity.ERROR).field("method", "POST").field("path", "/api/v1/orders").field("status", 500).field("bytes", 87)
        .field("client_ip", "10.1.2.30").field("request_time", 1.25).build());
    EVENTS.put("n3", nginx(2, "web-1", "192.168.7.4 - - [23/Nov/2026:10:00:02 +0000] \"GET /healthz HTTP/1.1\" 503 0 \"-\" \"kube-probe/1.29\"")
        .level(Severity.ERROR).field("method", "GET").field("path", "/healthz").field("status", 503).field("bytes", 0)
        .field("client_ip", "192.168.7.4").field("request_time", 0.001).build());
    EVENTS.put("n4", nginx(3, "edge-fra-1", "2001:db8::1 - - [23/Nov/2026:10:00:03 +0000] \"GET /index.html HTTP/2.0\" 404 153 \"-\" \"Mozilla/5.0\"")
        .level(Severity.INFO).field("method", "GET").field("path", "/index.html").field("status", 404).field("client_ip", "2001:db8::1").build());
    EVENTS.put("db", at(4).host("app-1").service("api").level(Severity.ERROR)
        .message("Connection refused: connect to db-1.eu.example.com:5432 failed")
        .field("latency_ms", 1500).field("exception", "java.net.ConnectException").tag("prod").tag("db").build());
    EVENTS.put("npe", at(5).host("app-1").service("api").level(Severity.ERROR)
        .message("java.lang.NullPointerException: null\n\tat com.example.FooService.handle(FooService.java:42)\n"
            + "\tat com.example.Router.route(Router.java:17)")
        .field("latency_ms", 12).tag("prod").build());
    EVENTS.put("sshfail", at(6).host("bastion").service("sshd").level(Severity.NOTICE).facility(Facility.AUTHPRIV)
        .message("Failed password for invalid user admin from 203.0.113.9 port 52814 ssh2")
        .field("user", "admin").field("source_ip", "203.0.113.9").field("pid", 1234).build());
    EVENTS.put("sshok", at(7).host("bastion").service("sshd").level(Severity.INFO).facility(Facility.AUTHPRIV)
        .message("Accepted publickey for deploy from 10.20.0.5 port 40022 ssh2: ED25519 SHA256:abc")
        .field("user", "deploy").field("source_ip", "10.20.0.5").field("pid", 1235).build());
    EVENTS.put("link", at(8).host("bastion").service("kernel").level(Severity.INFO).facility(Facility.KERN)
        .message("[12345.678901] eth0: link up, 1000Mbps, full duplex").build());
    EVENTS.put("oom", at(9).host("app-1").service("kernel").level(Severity.CRIT).facility(Facility.KERN)
        .message("Out of memory: Killed process 4242 (java) total-vm:8123456kB").build());
    EVENTS.put("req", at(10).host("app-1").service("api").level(Severity.DEBUG)
        .message("request id=550e8400-e29b-41d4-a716-446655440000 flags=0x1f3a user alice@example.com took 250ms")
        .field("request_id", "550e8400-e29b-41d4-a716-446655440000").field("status", "abc").field("latency_ms", 250.5)
        .field("ok", true).build());
    EVENTS.put("timeout", at(11).host("app-2").service("api").level(Severity.WARN)
        .message("timeout while calling https://payments.example.com/v2/charge?id=9")
        .field("status", 504).field("latency_ms", "n/a").field("ok", "FALSE").build());
    EVENTS.put("upstream", at(12).host("web-2").service("nginx").level(Severity.ERROR)
        .message("upstream CONNECTION REFUSED by peer").field("client_ip", "unknown").build());
    EVENTS.put("wasrefused", at(13).host("app-2").service("api").level(Severity.INFO).message("connection was refused").build());
    EVENTS.put("reserved", at(14).host("app-2").service("api").level(Severity.INFO).message("reserved names test")
        .field("_time", "bogus").field("_id", "abc").field("_tenant", 99).build());
    EVENTS.put("mapped", at(15).host("web-3").service("nginx").level(Severity.INFO).message("mapped client")
        .field("client_ip", "::ffff:10.9.8.7").build());

    dir = new ByteBuffersDirectory();
    schema = FieldSchema.empty();
    DocumentMapper mapper = new DocumentMapper();
    IndexWriterConfig cfg = new IndexWriterConfig(new LogAnalyzer());
    try (IndexWriter w = new IndexWriter(dir, cfg)) {
      long seq = 1;
      for (Map.Entry<String, LogEvent> e : EVENTS.entrySet()) {
        LABELS.add(e.getKey());
        w.addDocument(mapper.map(TENANT, new EventId(e.getValue().timestampNanos(), seq++), e.getValue(), schema));
      }
      // another tenant's event that matches many of the queries: it must never show up
      LogEvent other = at(16).host("web-1").service("api").level(Severity.ERROR).message("connection refused by tenant two")
          .field("status", 500).field("client_ip", "10.1.2.3").build();
      LABELS.add("t2");
      w.addDocument(mapper.map(2, new EventId(other.timestampNanos(), seq), other, schema));
      w.commit();
    }
    reader = DirectoryReader.open(dir);
    searcher = new IndexSearcher(reader);
  }

  @AfterAll
  static void close() throws IOException {
    reader.close();
    dir.close();
  }

  /** Labels of the events {@code q} matches for {@code tenant}, in corpus order. */
  static String matches(String q, int tenant) throws Exception {
    Query user = PARSER.parse(q, schema);
    Query query = new BooleanQuery.Builder()
        .add(IntField.newExactQuery(DocumentMapper.TENANT, tenant), BooleanClause.Occur.FILTER)
        .add(user, BooleanClause.Occur.FILTER)
        .build();
    TreeSet<Integer> seqs = new TreeSet<>();
    for (ScoreDoc sd : searcher.search(query, 1000).scoreDocs) {
      List<LeafReaderContext> leaves = reader.leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(sd.doc, leaves));
      NumericDocValues seq = leaf.reader().getNumericDocValues(DocumentMapper.SEQ);
      assertTrue(seq.advanceExact(sd.doc - leaf.docBase));
      seqs.add((int) seq.longValue());
    }
    List<String> out = new ArrayList<>();
    for (int s : seqs) {
      out.add(LABELS.get(s - 1));
    }
    return String.join(" ", out);
  }

  private static final String ALL = "n1 n2 n3 n4 db npe sshfail sshok link oom req timeout upstream wasrefused reserved mapped";

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
      # terms, phrases, slop, boolean logic
      refused | db upstream wasrefused
      "connection refused" | db upstream
      connection refused | db upstream wasrefused
      connection OR refused | db upstream wasrefused
      "connection refused"~1 | db upstream wasrefused
      refused AND NOT "connection refused" | wasrefused
      "eth0 link up" | link
      "Out of memory" | oom
      "GET /healthz" | n3
      ssh2 | sshfail sshok
      kube-probe | n3
      HTTP/2.0 | n4
      # IPs, paths, dotted names, hex IDs, e-mails, URLs: whole and by parts
      10.1.2.3 | n1
      message:10.1.2.3 | n1
      message:10 | n1 n2 n3 n4 sshok
      "from 203.0.113.9 port" | sshfail
      "from 10.20.0.5 port 40022" | sshok
      /api/v1/users | n1
      "/api/v1/users" | n1
      \\/api\\/v1 | n1 n2
      users | n1
      api | n1 n2
      example.com | db req timeout
      com.example | npe
      FooService | npe
      "FooService.java:42" | npe
      FooService.java\\:42 | npe
      550e8400-e29b-41d4-a716-446655440000 | req
      e29b | req
      0x1f3a | req
      1f3a | req
      flags=0x1f3a | req
      alice@example.com | req
      alice | req
      https://payments.example.com/v2/charge?id=9 | timeout
      10:00:01 | n2
      # a bare word whose first ':' follows a name is a field query (Lucene syntax); quote it to search text
      sha256:abc |
      fooservice.java:42 |
      "SHA256:abc" | sshok
      # wildcards and fuzzy
      time* | timeout
      conn* | db upstream wasrefused
      *example.com* | db req timeout
      # a pattern splits into parts like a term, each piece matching one part in order
      10.1.* | n1 n2
      10.1.2.3* | n1 n2
      10.1.2.3? | n2
      192.168.* | n3
      *.example.com | db req timeout
      *.eu.example.* | db
      /api/v1/* | n1 n2
      /api/v1/*/42 | n1
      kube-* | n3
      db-?.eu* | db
      api*users |
      HTTP/2* | n4
      paymants.example~1 | timeout
      10.1.2.30~ | n2
      10.1.2.300~ | n2
      refsed~1 | db upstream wasrefused
      # keyword fields: exact, case-sensitive; level and facility canonicalized
      service:api AND level:error | db npe
      service:api AND NOT level:error | req timeout wasrefused reserved
      level:ERROR | n2 n3 db npe upstream
      level:err | n2 n3 db npe upstream
      level:3 | n2 n3 db npe upstream
      level:[error TO *] | n2 n3 db npe oom upstream
      level:{info TO error} | sshfail timeout
      NOT service:nginx | db npe sshfail sshok link oom req timeout wasrefused reserved
      -service:nginx -service:api | sshfail sshok link oom
      (service:sshd OR service:kernel) AND level:info | sshok link
      host:web-1 | n1 n3
      host:WEB-1 |
      host:web* | n1 n2 n3 upstream mapped
      facility:authpriv | sshfail sshok
      facility:LOCAL7 | n1 n2 n3 n4
      tags:db | db
      tags:prod | db npe
      method:GET | n1 n3 n4
      method:get |
      exception:java.net.ConnectException | db
      exception:"java.net.ConnectException" | db
      exception:java.net.* | db
      user_agent:curl* | n1
      path:/api/v1/users/42 | n1
      path:/api* | n1 n2
      user:admin OR user:deploy | sshfail sshok
      # numeric ranges: inclusive, exclusive, open, shorthands, decimal prefix
      status:500 | n2
      status:[500 TO 599] | n2 n3 timeout
      status:{500 TO 599] | n3 timeout
      status:{500 TO 504} | n3
      status:[* TO 300} | n1
      status:>=500 | n2 n3 timeout
      status:>500 | n3 timeout
      status:<300 | n1
      status:<=404 | n1 n4
      status:5* | n2 n3 timeout
      (status:500 OR status:503) AND host:web-2 | n2
      status:[400 TO 499] OR latency_ms:>1000 | n4 db
      pid:1234 | sshfail
      pid:[1234 TO 1235] | sshfail sshok
      request_time:[1 TO *] | n2
      request_time:{0.001 TO 0.004] | n1
      request_time:0.001 | n3
      # type conflicts: the first type wins, the rest stays findable through the shadows
      status:abc | req
      status:* | n1 n2 n3 n4 req timeout
      latency_ms:{1000 TO *] | db
      latency_ms:[200 TO 300] | req
      latency_ms:250.5 | req
      latency_ms:{250.5 TO 1500] | db
      latency_ms:[* TO 100] | npe
      latency_ms:n/a | timeout
      client_ip:unknown | upstream
      ok:true | req
      ok:TRUE | req
      ok:false | timeout
      # IP fields: exact, CIDR v4 and v6, ranges, octet prefixes, IPv4-mapped
      client_ip:10.0.0.0/8 | n1 n2 mapped
      client_ip:10.1.2.3 | n1
      client_ip:10.1.2.3/32 | n1
      client_ip:192.168.0.0/16 | n3
      client_ip:2001:db8::/32 | n4
      client_ip:2001:db8::1 | n4
      client_ip:"2001:db8::1" | n4
      client_ip:2001:DB8:0:0::1 | n4
      client_ip:10.1.2.* | n1 n2
      client_ip:2001:* | n4
      client_ip:[10.1.2.0 TO 10.1.2.10] | n1
      client_ip:{10.1.2.3 TO 10.1.2.30] | n2
      client_ip:10.9.8.7 | mapped
      client_ip:::ffff:10.9.8.7 | mapped
      client_ip:0.0.0.0/0 | n1 n2 n3 mapped
      client_ip:::/0 | n1 n2 n3 n4 mapped
      client_ip:* | n1 n2 n3 n4 upstream mapped
      client_ip:10.1.2.3/33 |
      source_ip:203.0.113.0/24 | sshfail
      # unknown fields match nothing; reserved names are escaped, not clobbered
      unknownfield:x |
      NOT unknownfield:x | ALL
      _id:abc | reserved
      _time:bogus | reserved
      _tenant:99 | reserved
      # everything
      message:* | ALL
      *:* | ALL
      * | ALL
      ` ` | ALL
      """)
  void table(String query, String expected) throws Exception {
    String want = expected == null ? "" : expected.equals("ALL") ? ALL : expected;
    assertEquals(want, matches(query, TENANT), query + "  parsed as  " + PARSER.parse(query, schema));
  }

  @Test
  void tenantFilterIsolates() throws Exception {
    assertEquals("t2", matches("\"connection refused\"", 2));
    assertEquals("t2", matches("client_ip:10.1.2.3", 2));
    assertEquals("", matches("\"tenant two\"", TENANT));
  }

  @Test
  void typeConflictsAreCountedAndTyped() {
    assertEquals(FieldType.LONG, schema.typeOf("status"));
    assertEquals(FieldType.LONG, schema.typeOf("latency_ms"));
    assertEquals(FieldType.IP, schema.typeOf("client_ip"));
    assertEquals(FieldType.BOOL, schema.typeOf("ok"));
    assertEquals(FieldType.DOUBLE, schema.typeOf("request_time"));
    assertEquals(FieldType.KEYWORD, schema.typeOf("_time"));
    assertTrue(schema.hasStringShadow("status"));
    assertTrue(schema.hasDoubleShadow("latency_ms"));
    assertTrue(schema.hasStringShadow("latency_ms"));
    assertTrue(schema.hasStringShadow("client_ip"));
    // status "abc", latency 250.5 and "n/a", client_ip "unknown"
    assertEquals(4, schema.counters().conflicts());
    assertEquals(0, schema.counters().overflow());
  }

  @Test
  void everyEventIsFoundByItsOwnMessageAsAPhrase() throws Exception {
    for (Map.Entry<String, LogEvent> e : EVENTS.entrySet()) {
      String phrase = "\"" + e.getValue().message().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
      assertTrue(Arrays.asList(matches(phrase, TENANT).split(" ")).contains(e.getKey()), phrase);
    }
  }
}
