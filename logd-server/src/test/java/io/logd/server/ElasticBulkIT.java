package io.logd.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.logd.engine.Logd;
import io.logd.event.EventId;
import io.logd.event.FieldValue;
import io.logd.query.TimeRange;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The official Elasticsearch Java client, pointed at logd, bulk-indexes through {@code _bulk}. */
class ElasticBulkIT {
  static final String KEY = "es-admin-key-0123456789";

  @TempDir Path dir;

  @Test
  void theElasticsearchClientBulkIndexesIntoLogd() throws Exception {
    try (TestServer t = TestServer.start(dir, KEY)) {
      Logd logd = t.logd;
      RestClient rest = RestClient.builder(new HttpHost("127.0.0.1", t.port(), "http"))
          .setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + KEY)})
          .build();
      try (RestClientTransport transport = new RestClientTransport(rest, new JacksonJsonpMapper())) {
        ElasticsearchClient es = new ElasticsearchClient(transport);
        BulkRequest.Builder bulk = new BulkRequest.Builder();
        for (int i = 0; i < 100; i++) {
          Map<String, Object> doc = new LinkedHashMap<>();
          doc.put("@timestamp", "2026-11-23T10:00:00Z");
          doc.put("message", "from the es client " + i);
          doc.put("http", Map.of("status", i % 2 == 0 ? 200 : 404));
          bulk.operations(op -> op.index(idx -> idx.index("nginx-access").document(doc)));
        }
        bulk.operations(op -> op.create(c -> c.index("nginx-access").document(Map.of("timestamp", "yesterday"))));
        BulkResponse response = es.bulk(bulk.build());

        assertTrue(response.errors());
        assertEquals(101, response.items().size());
        BulkResponseItem first = response.items().get(0);
        assertEquals(201, first.status());
        assertEquals("nginx-access", first.index());
        EventId id = EventId.parse(first.id()).orElseThrow();
        BulkResponseItem bad = response.items().get(100);
        assertEquals(400, bad.status());
        assertTrue(bad.error().reason().contains("timestamp: cannot parse 'yesterday'"), bad.error().reason());

        logd.index().awaitSearchable();
        assertEquals(100, logd.searcher().count(Logd.DEFAULT_TENANT, "\"es client\"", TimeRange.ALL));
        assertEquals(50, logd.searcher().count(Logd.DEFAULT_TENANT, "http.status:404", TimeRange.ALL));
        assertEquals(FieldValue.of("nginx-access"),
            logd.get(Logd.DEFAULT_TENANT, id).orElseThrow().event().fields().get("es_index"));
      }
    }
  }
}
