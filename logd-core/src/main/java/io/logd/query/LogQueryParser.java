package io.logd.query;

import io.logd.event.Facility;
import io.logd.event.Severity;
import io.logd.index.DocumentMapper;
import io.logd.index.FieldSchema;
import io.logd.index.FieldType;
import io.logd.index.Literals;
import io.logd.index.LogAnalyzer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.document.DoubleField;
import org.apache.lucene.document.InetAddressPoint;
import org.apache.lucene.document.LongField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.queryparser.classic.QueryParserConstants;
import org.apache.lucene.queryparser.classic.Token;
import org.apache.lucene.queryparser.classic.TokenMgrError;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.WildcardQuery;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.automaton.TooComplexToDeterminizeException;

/**
 * Parses logd's query language, Lucene query syntax, into a Lucene query for one day's index. The
 * parse is per day because field types are: pass the day's {@link FieldSchema}.
 *
 * <h2>Syntax</h2>
 *
 * Classic Lucene syntax ({@code lucene-queryparser}'s {@link QueryParser}) with {@code message} as
 * the default field: terms, {@code "phrases"} (with {@code ~slop}), {@code field:value}, {@code
 * AND}/{@code OR}/{@code NOT}/{@code +}/{@code -}, parentheses, {@code *} and {@code ?} wildcards,
 * {@code ~} fuzzy terms, ranges {@code [a TO b]}, {@code {a TO b}}, {@code [a TO *]}, and {@code
 * field:*} for "has the field". Differences, to make log searching practical:
 *
 * <ul>
 *   <li>Terms side by side must all match: the default operator is {@code AND} (pass {@code false}
 *       to the constructor for Lucene's {@code OR}).
 *   <li>{@code /} is an ordinary character, so paths and CIDRs need no escaping ({@code
 *       /api/v1/users}, {@code client_ip:10.0.0.0/8}); {@code /regex/} queries are not supported.
 *   <li>Only the first {@code :} of a bare word separates a field name, and only when the name
 *       starts with a letter, {@code _} or {@code @}: {@code client_ip:2001:db8::1}, {@code
 *       10:15:32}, {@code fe80::1} and {@code https://example.com} need no quoting.
 *   <li>{@code field:>v}, {@code >=v}, {@code <v}, {@code <=v} are shorthands for open ranges.
 *   <li>A query consisting only of {@code NOT} clauses (also inside parentheses) matches everything
 *       except those, not nothing.
 * </ul>
 *
 * <h2>Semantics by field type</h2>
 *
 * <ul>
 *   <li><b>{@code message}</b> (TEXT): the value is analyzed by {@link LogAnalyzer} and must match
 *       its parts at consecutive positions ({@link LogAnalyzer#phraseTerms}): {@code 10.1.2.3}
 *       finds {@code 10.1.2.3} also inside {@code 10.1.2.3:8080}, {@code /api/v1/users} finds
 *       {@code /api/v1/users/42}; a bare word of several parts is a phrase, not an OR. Matching is
 *       case-insensitive. Wildcard, prefix and fuzzy terms are split into pieces the same way,
 *       each piece matching one part in order ({@code 10.1.2*}, {@code *.example.com}; see {@code
 *       textPattern}). Ranges compare parts.
 *   <li><b>KEYWORD</b> ({@code host}, {@code service}, {@code tags}, string fields): exact and
 *       case-sensitive, not analyzed; wildcards and ranges compare the raw value. {@code level}
 *       and {@code facility} are canonicalized first, so {@code level:ERROR}, {@code level:err} and
 *       {@code level:3} all mean {@code error}; a {@code level} range follows severity: {@code
 *       level:[warn TO *]} is warn and worse.
 *   <li><b>LONG/DOUBLE</b>: a term is an exact number ({@code status:500}), ranges are numeric and
 *       honour inclusive/exclusive/open bounds, {@code status:5*} on a LONG field means numbers
 *       whose decimal form starts with 5.
 *   <li><b>IP</b>: an address is exact ({@code 10.1.2.3}, {@code 2001:db8::1} and {@code
 *       ::ffff:10.1.2.3} are the same IPv4 address), {@code addr/len} is a CIDR block (IPv4 or
 *       IPv6), a range compares addresses, {@code 10.1.*} is {@code 10.1.0.0/16} and other
 *       prefixes compare the text form.
 *   <li><b>BOOL</b>: {@code true}/{@code false}, any case.
 *   <li><b>Type conflicts</b>: when a day has values of the field in a shadow (see {@link
 *       FieldSchema}), a term also matches them as keywords ({@code status:abc} on a LONG field),
 *       numbers also match the DOUBLE shadow, and a range with non-numeric bounds compares the
 *       keyword shadow.
 *   <li>A field the day does not know matches nothing; it is not an error, since other days may
 *       have it. The same query text therefore never fails on one day and parses on another.
 * </ul>
 *
 * <p>Errors ({@link QuerySyntaxException}) carry the 0-based position in the query text. Queries of
 * more than {@value #MAX_QUERY_CHARS} chars, deeper than {@value #MAX_DEPTH} parentheses, or with
 * more clauses than {@link IndexSearcher#getMaxClauseCount()} are refused, so no query text can
 * crash or stall the server. Thread-safe and stateless: one instance may serve every thread.
 */
public final class LogQueryParser {
  /** Longest query text accepted. */
  public static final int MAX_QUERY_CHARS = 32_768;
  /** Deepest nesting of parentheses accepted. */
  public static final int MAX_DEPTH = 50;

  /** Shared by the query code of this package: an analyzer keeps its components per thread. */
  static final LogAnalyzer ANALYZER = new LogAnalyzer();
  private static final Pattern LEXICAL_COLUMN = Pattern.compile("column (\\d+)");

  private final boolean defaultAnd;
  private final MessageSource messages;

  /** A parser whose default operator is {@code AND}. */
  public LogQueryParser() {
    this(true);
  }

  /** @param defaultAnd whether terms side by side must all match ({@code AND}) or any ({@code OR}) */
  public LogQueryParser(boolean defaultAnd) {
    this(defaultAnd, null);
  }

  /**
   * @param messages reads candidates' messages back when a pattern piece is too broad for the
   *     index alone ({@link PartsPatternQuery}); null to let such a piece match any part
   */
  LogQueryParser(boolean defaultAnd, MessageSource messages) {
    this.defaultAnd = defaultAnd;
    this.messages = messages;
  }

  /**
   * Parses {@code q} for a day with {@code schema}. A null or blank query, or {@code *}, is a
   * {@link MatchAllDocsQuery}. The result has no tenant or time filter: the caller adds those.
   *
   * @throws QuerySyntaxException when the text does not parse or the query is too big
   */
  public Query parse(String q, FieldSchema schema) throws QuerySyntaxException {
    Objects.requireNonNull(schema, "schema");
    if (q == null || q.isBlank() || q.strip().equals("*")) {
      return MatchAllDocsQuery.INSTANCE;
    }
    if (q.length() > MAX_QUERY_CHARS) {
      throw new QuerySyntaxException("query is longer than " + MAX_QUERY_CHARS + " characters", MAX_QUERY_CHARS);
    }
    Prepared p = Prepared.of(q);
    Inner inner = new Inner(schema, defaultAnd, messages);
    Query result;
    try {
      result = inner.parse(p.text);
    } catch (ParseException e) {
      throw translate(e, inner, p);
    } catch (IndexSearcher.TooManyClauses e) {
      throw tooManyClauses();
    } catch (StackOverflowError e) {
      throw new QuerySyntaxException("query is nested too deeply", 0);
    } catch (TooComplexToDeterminizeException e) {
      throw new QuerySyntaxException("wildcard pattern is too complex", p.original(inner.position()));
    } catch (RuntimeException e) {
      throw new QuerySyntaxException("query cannot be run: " + e.getMessage(), p.original(inner.position()));
    }
    checkClauses(result);
    return result;
  }

  private static QuerySyntaxException tooManyClauses() {
    return new QuerySyntaxException("query has more than " + IndexSearcher.getMaxClauseCount() + " clauses", 0);
  }

  /** Refuses what IndexSearcher would refuse at search time, counting leaves and terms like it does. */
  private static void checkClauses(Query q) throws QuerySyntaxException {
    int max = IndexSearcher.getMaxClauseCount();
    int[] count = {0};
    q.visit(new QueryVisitor() {
      @Override
      public void consumeTerms(Query query, Term... terms) {
        count[0] += terms.length;
      }

      @Override
      public void consumeTermsMatching(Query query, String field, java.util.function.Supplier<org.apache.lucene.util.automaton.ByteRunAutomaton> automaton) {
        count[0]++;
      }

      @Override
      public void visitLeaf(Query query) {
        count[0]++;
      }

      @Override
      public QueryVisitor getSubVisitor(BooleanClause.Occur occur, Query parent) {
        return this;
      }
    });
    if (count[0] > max) {
      throw tooManyClauses();
    }
  }

  private static QuerySyntaxException translate(ParseException wrapped, Inner inner, Prepared p) {
    Throwable cause = wrapped.getCause() != null ? wrapped.getCause() : wrapped;
    if (cause instanceof PositionedParseException pp) {
      return new QuerySyntaxException(pp.reason, p.original(pp.position));
    }
    if (cause instanceof IndexSearcher.TooManyClauses) {
      return tooManyClauses();
    }
    if (cause instanceof TooComplexToDeterminizeException) {
      return new QuerySyntaxException("wildcard pattern is too complex", p.original(inner.position()));
    }
    if (cause instanceof ParseException pe && pe.currentToken != null && pe.currentToken.next != null) {
      return describe(pe, p);
    }
    if (cause instanceof TokenMgrError tme) {
      Matcher m = LEXICAL_COLUMN.matcher(String.valueOf(tme.getMessage()));
      int column = m.find() ? Integer.parseInt(m.group(1)) : 0;
      return new QuerySyntaxException("unexpected character", p.original(column));
    }
    String message = cause.getMessage() == null ? "invalid query" : cause.getMessage();
    return new QuerySyntaxException(message.replaceAll("[.!]+$", ""), p.original(inner.position()));
  }

  /** A reason for JavaCC's "encountered X, was expecting one of ..." that a person can act on. */
  private static QuerySyntaxException describe(ParseException pe, Prepared p) {
    Token last = pe.currentToken;
    Token bad = last.next;
    boolean[] expected = new boolean[64];
    if (pe.expectedTokenSequences != null) {
      for (int[] seq : pe.expectedTokenSequences) {
        if (seq.length > 0 && seq[0] < expected.length) {
          expected[seq[0]] = true;
        }
      }
    }
    String reason;
    int position;
    if (bad.kind == QueryParserConstants.EOF) {
      position = p.text.length();
      if (expected[QueryParserConstants.RPAREN]) {
        reason = "expected ')'";
      } else if (expected[QueryParserConstants.RANGE_TO]) {
        reason = "expected 'TO'";
      } else if (expected[QueryParserConstants.RANGEIN_END] || expected[QueryParserConstants.RANGEEX_END]) {
        reason = "expected ']' or '}'";
      } else if (last.kind == QueryParserConstants.COLON) {
        reason = "expected a value after ':'";
      } else if (isOperator(last.kind)) {
        reason = "expected a term after '" + last.image + "'";
      } else {
        reason = "unexpected end of query";
      }
    } else {
      position = bad.beginColumn;
      String image = bad.image.length() > 40 ? bad.image.substring(0, 40) + "..." : bad.image;
      if (expected[QueryParserConstants.RANGE_TO] && bad.kind != QueryParserConstants.RANGE_TO) {
        reason = "expected 'TO' but found '" + image + "'";
      } else if ((expected[QueryParserConstants.RANGEIN_END] || expected[QueryParserConstants.RANGEEX_END])
          && !expected[QueryParserConstants.RANGE_GOOP]) {
        reason = "expected ']' or '}' but found '" + image + "'";
      } else if (isOperator(last.kind) && isOperator(bad.kind)) {
        reason = "expected a term after '" + last.image + "' but found '" + image + "'";
      } else if (bad.kind == QueryParserConstants.RPAREN && last.kind == QueryParserConstants.LPAREN) {
        reason = "empty parentheses";
      } else {
        reason = "unexpected '" + image + "'";
      }
    }
    return new QuerySyntaxException(reason, p.original(position));
  }

  private static boolean isOperator(int kind) {
    return kind == QueryParserConstants.AND
        || kind == QueryParserConstants.OR
        || kind == QueryParserConstants.NOT
        || kind == QueryParserConstants.PLUS
        || kind == QueryParserConstants.MINUS;
  }

  /** A semantic error raised inside the parser, with its position in the prepared text. */
  private static final class PositionedParseException extends ParseException {
    private static final long serialVersionUID = 1L;
    final String reason;
    final int position;

    PositionedParseException(String reason, int position) {
      super(reason);
      this.reason = reason;
      this.position = position;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Preparation: logd's extensions, rewritten into classic syntax before JavaCC sees the text.

  /**
   * The query text as handed to the classic parser, with {@code /} and extra {@code :} escaped and
   * comparison shorthands expanded, plus the map from each of its chars back to the original.
   */
  static final class Prepared {
    final String original;
    final String text;
    private final int[] map;

    private Prepared(String original, String text, int[] map) {
      this.original = original;
      this.text = text;
      this.map = map;
    }

    /** The original position of a position in {@link #text}. */
    int original(int prepared) {
      if (prepared < 0) {
        return 0;
      }
      return prepared >= text.length() ? original.length() : map[prepared];
    }

    static Prepared of(String q) throws QuerySyntaxException {
      Builder b = new Builder(q);
      int n = q.length();
      int backslashes = 0;
      while (backslashes < n && q.charAt(n - 1 - backslashes) == '\\') {
        backslashes++;
      }
      if (backslashes % 2 == 1) {
        throw new QuerySyntaxException("nothing to escape after '\\'", n - 1);
      }
      int depth = 0;
      int i = 0;
      while (i < n) {
        char c = q.charAt(i);
        if (c == '\\') {
          if (i + 1 >= n) {
            throw new QuerySyntaxException("nothing to escape after '\\'", i);
          }
          b.copy(i, i + 2);
          i += 2;
        } else if (c == '"') {
          int end = closingQuote(q, i);
          if (end < 0) {
            throw new QuerySyntaxException("unterminated quote", i);
          }
          b.copy(i, end + 1);
          i = end + 1;
        } else if (c == '[' || c == '{') {
          int end = closingBracket(q, i);
          if (end < 0) {
            throw new QuerySyntaxException("expected ']' or '}'", n);
          }
          b.copy(i, end + 1);
          i = end + 1;
        } else if (c == '(') {
          if (++depth > MAX_DEPTH) {
            throw new QuerySyntaxException("parentheses are nested deeper than " + MAX_DEPTH, i);
          }
          b.copy(i, i + 1);
          i++;
        } else if (c == ')') {
          if (depth == 0) {
            throw new QuerySyntaxException("unmatched ')'", i);
          }
          depth--;
          b.copy(i, i + 1);
          i++;
        } else if (isWhitespace(c)) {
          b.copy(i, i + 1);
          i++;
        } else {
          int end = wordEnd(q, i);
          word(q, i, end, b);
          i = end;
        }
      }
      if (depth > 0) {
        throw new QuerySyntaxException("expected ')'", n);
      }
      return new Prepared(q, b.sb.toString(), b.map());
    }

    private static boolean isWhitespace(char c) {
      return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u3000';
    }

    private static int closingQuote(String q, int open) {
      for (int j = open + 1; j < q.length(); j++) {
        char c = q.charAt(j);
        if (c == '\\') {
          j++;
        } else if (c == '"') {
          return j;
        }
      }
      return -1;
    }

    /** The {@code ]} or {@code }} closing a range; quoted bounds may contain them. */
    private static int closingBracket(String q, int open) {
      for (int j = open + 1; j < q.length(); j++) {
        char c = q.charAt(j);
        if (c == ']' || c == '}') {
          return j;
        }
        if (c == '"') {
          int end = closingQuote(q, j);
          if (end < 0) {
            return -1;
          }
          j = end;
        }
      }
      return -1;
    }

    /** The end of a bare word: up to whitespace, a parenthesis, a quote or a range. */
    private static int wordEnd(String q, int start) {
      int j = start;
      while (j < q.length()) {
        char c = q.charAt(j);
        if (c == '\\') {
          j += 2;
          continue;
        }
        if (isWhitespace(c) || c == '(' || c == ')' || c == '"' || c == '[' || c == '{') {
          break;
        }
        j++;
      }
      return Math.min(j, q.length());
    }

    /** Copies one bare word, escaping {@code /} and every {@code :} but a field separator. */
    private static void word(String q, int start, int end, Builder b) {
      int nameStart = start;
      while (nameStart < end && "+-!".indexOf(q.charAt(nameStart)) >= 0) {
        nameStart++;
      }
      int colon = -1;
      for (int j = nameStart; j < end; j++) {
        char c = q.charAt(j);
        if (c == '\\') {
          j++;
        } else if (c == ':') {
          colon = j;
          break;
        }
      }
      int separator = -1;
      if (colon > nameStart
          && isFieldName(q, nameStart, colon)
          && !q.startsWith("//", colon + 1)
          && !isIpv6Word(q, nameStart, end)) {
        separator = colon;
      }
      for (int j = start; j < end; j++) {
        char c = q.charAt(j);
        if (c == '\\') {
          b.copy(j, Math.min(j + 2, end));
          j++;
        } else if (j == separator) {
          b.copy(j, j + 1);
          if (comparison(q, j + 1, end, b)) {
            return;
          }
        } else if (c == ':' || c == '/') {
          b.add('\\', j);
          b.copy(j, j + 1);
        } else {
          b.copy(j, j + 1);
        }
      }
    }

    private static boolean isFieldName(String q, int start, int end) {
      char c = q.charAt(start);
      if (end - start == 1 && c == '*') {
        return true;
      }
      return Character.isLetter(c) || c == '_' || c == '@';
    }

    /** True when the word (maybe with a {@code /len} suffix or a trailing {@code *}) is an IPv6 address. */
    private static boolean isIpv6Word(String q, int start, int end) {
      int e = end;
      while (e > start && q.charAt(e - 1) == '*') {
        e--;
      }
      int slash = q.lastIndexOf('/', e - 1);
      if (slash >= start) {
        e = slash;
      }
      return Literals.parseIp(q, start, e, new byte[Literals.IP_BYTES]) == 6;
    }

    /** Expands {@code >v}, {@code >=v}, {@code <v}, {@code <=v} after a field name into a range. */
    private static boolean comparison(String q, int start, int end, Builder b) {
      if (start >= end || (q.charAt(start) != '>' && q.charAt(start) != '<')) {
        return false;
      }
      boolean greater = q.charAt(start) == '>';
      boolean inclusive = start + 1 < end && q.charAt(start + 1) == '=';
      int value = start + (inclusive ? 2 : 1);
      if (value >= end) {
        return false;
      }
      if (greater) {
        b.add(inclusive ? "[" : "{", start);
        b.copy(value, end);
        b.add(" TO *]", start);
      } else {
        b.add("[* TO ", start);
        b.copy(value, end);
        b.add(inclusive ? "]" : "}", start);
      }
      return true;
    }

    private static final class Builder {
      final String q;
      final StringBuilder sb;
      int[] map;

      Builder(String q) {
        this.q = q;
        this.sb = new StringBuilder(q.length() + 16);
        this.map = new int[q.length() + 16];
      }

      void add(char c, int originalPosition) {
        if (sb.length() == map.length) {
          map = Arrays.copyOf(map, map.length * 2);
        }
        map[sb.length()] = originalPosition;
        sb.append(c);
      }

      void add(String s, int originalPosition) {
        for (int i = 0; i < s.length(); i++) {
          add(s.charAt(i), originalPosition);
        }
      }

      void copy(int from, int to) {
        for (int i = from; i < to; i++) {
          add(q.charAt(i), i);
        }
      }

      int[] map() {
        return map;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The classic parser, with every query factory replaced by a typed one.

  private enum Kind { TEXT, KEYWORD, LEVEL, FACILITY, BOOL, LONG, DOUBLE, IP, UNKNOWN }

  /** A field as one day sees it: how to query it and its Lucene names. */
  private record Target(Kind kind, String name, String lucene, String strShadow, String doubleShadow) {}

  private static final class Inner extends QueryParser {
    private final FieldSchema schema;
    private final MessageSource messages;

    Inner(FieldSchema schema, boolean defaultAnd, MessageSource messages) {
      super(DocumentMapper.MESSAGE, ANALYZER);
      this.schema = schema;
      this.messages = messages;
      setDefaultOperator(defaultAnd ? Operator.AND : Operator.OR);
      setAllowLeadingWildcard(true);
      setSplitOnWhitespace(true);
    }

    /** Position (in the prepared text) of the token being handled, for errors. */
    int position() {
      return token == null ? 0 : Math.max(0, token.beginColumn);
    }

    private Target resolve(String field) {
      if (field == null || field.equals("*")) {
        field = DocumentMapper.MESSAGE;
      }
      Kind builtin = switch (field) {
        case DocumentMapper.MESSAGE -> Kind.TEXT;
        case DocumentMapper.HOST, DocumentMapper.SERVICE, DocumentMapper.TAGS -> Kind.KEYWORD;
        case DocumentMapper.LEVEL -> Kind.LEVEL;
        case DocumentMapper.FACILITY -> Kind.FACILITY;
        default -> null;
      };
      if (builtin != null) {
        return new Target(builtin, field, field, null, null);
      }
      FieldType type = schema.typeOf(field);
      if (type == null) {
        return new Target(Kind.UNKNOWN, field, null, null, null);
      }
      Kind kind = switch (type) {
        case KEYWORD -> Kind.KEYWORD;
        case LONG -> Kind.LONG;
        case DOUBLE -> Kind.DOUBLE;
        case BOOL -> Kind.BOOL;
        case IP -> Kind.IP;
        case TEXT -> Kind.TEXT;
      };
      return new Target(
          kind,
          field,
          FieldSchema.indexName(field),
          schema.hasStringShadow(field) ? FieldSchema.stringShadow(field) : null,
          schema.hasDoubleShadow(field) ? FieldSchema.doubleShadow(field) : null);
    }

    private static Query nothing(Target t) {
      return new MatchNoDocsQuery("no field '" + t.name + "' on this day");
    }

    private static Query any(List<Query> queries, Target t) {
      if (queries.isEmpty()) {
        return nothing(t);
      }
      if (queries.size() == 1) {
        return queries.get(0);
      }
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (Query q : queries) {
        b.add(q, BooleanClause.Occur.SHOULD);
      }
      return b.build();
    }

    private static Query keyword(String field, String value) {
      return new TermQuery(new Term(field, DocumentMapper.keywordTerm(value)));
    }

    // --- terms and phrases ---

    @Override
    protected Query getFieldQuery(String field, String queryText, boolean quoted) throws ParseException {
      return fieldQuery(field, queryText, 0);
    }

    @Override
    protected Query getFieldQuery(String field, String queryText, int slop) throws ParseException {
      return fieldQuery(field, queryText, slop);
    }

    private Query fieldQuery(String field, String text, int slop) {
      Target t = resolve(field);
      return switch (t.kind) {
        case UNKNOWN -> nothing(t);
        case TEXT -> text(t.lucene, text, slop);
        case KEYWORD -> keyword(t.lucene, text);
        case LEVEL -> keyword(t.lucene, canonicalLevel(text));
        case FACILITY -> keyword(t.lucene, canonicalFacility(text));
        case BOOL -> bool(t, text);
        case LONG -> longTerm(t, text);
        case DOUBLE -> doubleTerm(t, text);
        case IP -> ipTerm(t, text);
      };
    }

    /** Null (the clause is dropped, as Lucene does for stop words) when the text has no words. */
    private static Query text(String field, String text, int slop) {
      List<String> terms = LogAnalyzer.phraseTerms(text);
      if (terms.isEmpty()) {
        return null;
      }
      if (terms.size() == 1) {
        return new TermQuery(new Term(field, terms.get(0)));
      }
      return new PhraseQuery(slop, field, terms.toArray(new String[0]));
    }

    private static String canonicalLevel(String text) {
      Severity s = Severity.parse(text);
      return s != null ? s.canonicalName() : text;
    }

    private static String canonicalFacility(String text) {
      Facility f = Facility.parse(text);
      return f != null ? f.keyword() : text;
    }

    private static Query bool(Target t, String text) {
      List<Query> qs = new ArrayList<>(2);
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.equals("true") || lower.equals("false")) {
        qs.add(keyword(t.lucene, lower));
      }
      if (t.strShadow != null) {
        qs.add(keyword(t.strShadow, text));
      }
      return any(qs, t);
    }

    private static Query longTerm(Target t, String text) {
      List<Query> qs = new ArrayList<>(3);
      Long l = Literals.parseLong(text);
      Double d = l != null ? Double.valueOf(l) : Literals.parseDouble(text);
      if (l != null) {
        qs.add(LongField.newExactQuery(t.lucene, l));
      } else if (d != null && d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) {
        qs.add(LongField.newExactQuery(t.lucene, d.longValue()));
      }
      if (t.doubleShadow != null && d != null) {
        qs.add(DoubleField.newExactQuery(t.doubleShadow, d));
      }
      if (t.strShadow != null) {
        qs.add(keyword(t.strShadow, text));
      }
      return any(qs, t);
    }

    private static Query doubleTerm(Target t, String text) {
      List<Query> qs = new ArrayList<>(2);
      Double d = Literals.parseDouble(text);
      if (d != null) {
        qs.add(DoubleField.newExactQuery(t.lucene, d));
      }
      if (t.strShadow != null) {
        qs.add(keyword(t.strShadow, text));
      }
      return any(qs, t);
    }

    private static Query ipTerm(Target t, String text) {
      List<Query> qs = new ArrayList<>(2);
      byte[] ip = new byte[Literals.IP_BYTES];
      int slash = text.indexOf('/');
      if (slash < 0) {
        if (Literals.parseIp(text, ip) != 0) {
          qs.add(InetAddressPoint.newExactQuery(t.lucene, Literals.toInetAddress(ip)));
        }
      } else {
        int version = Literals.parseIp(text, 0, slash, ip);
        Long bits = Literals.parseLong(text.substring(slash + 1));
        int max = version == 4 ? 32 : 128;
        if (version != 0 && bits != null && bits >= 0 && bits <= max && text.charAt(slash + 1) != '+') {
          qs.add(cidr(t.lucene, ip, (int) (version == 4 ? 96 + bits : bits)));
        }
      }
      if (t.strShadow != null) {
        qs.add(keyword(t.strShadow, text));
      }
      return any(qs, t);
    }

    /** The addresses whose first {@code bits} bits (of 128) equal those of {@code ip}. */
    private static Query cidr(String field, byte[] ip, int bits) {
      byte[] lower = ip.clone();
      byte[] upper = ip.clone();
      for (int bit = bits; bit < 128; bit++) {
        int mask = 0x80 >>> (bit & 7);
        lower[bit >>> 3] &= (byte) ~mask;
        upper[bit >>> 3] |= (byte) mask;
      }
      return InetAddressPoint.newRangeQuery(field, Literals.toInetAddress(lower), Literals.toInetAddress(upper));
    }

    // --- ranges ---

    @Override
    protected Query getRangeQuery(String field, String lo, String hi, boolean loInclusive, boolean hiInclusive) {
      Target t = resolve(field);
      if (lo == null && hi == null) {
        return exists(t);
      }
      return switch (t.kind) {
        case UNKNOWN -> nothing(t);
        case TEXT -> termRange(t.lucene, lower(lo), lower(hi), loInclusive, hiInclusive);
        case KEYWORD -> termRange(t.lucene, lo, hi, loInclusive, hiInclusive);
        case FACILITY, BOOL -> termRange(t.lucene, lower(lo), lower(hi), loInclusive, hiInclusive);
        case LEVEL -> levelRange(t, lo, hi, loInclusive, hiInclusive);
        case LONG -> longRange(t, lo, hi, loInclusive, hiInclusive);
        case DOUBLE -> doubleRange(t, lo, hi, loInclusive, hiInclusive);
        case IP -> ipRange(t, lo, hi, loInclusive, hiInclusive);
      };
    }

    private static String lower(String s) {
      return s == null ? null : LogAnalyzer.lowercase(s);
    }

    private static Query termRange(String field, String lo, String hi, boolean loInc, boolean hiInc) {
      return new TermRangeQuery(
          field,
          lo == null ? null : DocumentMapper.keywordTerm(lo),
          hi == null ? null : DocumentMapper.keywordTerm(hi),
          loInc,
          hiInc);
    }

    private static Query levelRange(Target t, String lo, String hi, boolean loInc, boolean hiInc) {
      Severity from = lo == null ? null : Severity.parse(lo);
      Severity to = hi == null ? null : Severity.parse(hi);
      if ((lo != null && from == null) || (hi != null && to == null)) {
        return termRange(t.lucene, lo, hi, loInc, hiInc);
      }
      Severity[] all = Severity.values();
      int a = from == null ? 0 : from.ordinal() + (loInc ? 0 : 1);
      int b = to == null ? all.length - 1 : to.ordinal() - (hiInc ? 0 : 1);
      List<BytesRef> names = new ArrayList<>();
      for (int i = a; i <= b; i++) {
        names.add(new BytesRef(all[i].canonicalName()));
      }
      return names.isEmpty() ? new MatchNoDocsQuery("empty level range") : new TermInSetQuery(t.lucene, names);
    }

    private static Query longRange(Target t, String lo, String hi, boolean loInc, boolean hiInc) {
      Number from = number(lo);
      Number to = number(hi);
      List<Query> qs = new ArrayList<>(3);
      if ((lo == null || from != null) && (hi == null || to != null)) {
        long a = lo == null ? Long.MIN_VALUE : lowerLong(from, loInc);
        long b = hi == null ? Long.MAX_VALUE : upperLong(to, hiInc);
        if (a <= b && !(lo != null && a == Long.MAX_VALUE && !loInc && isMax(from)) && !(hi != null && b == Long.MIN_VALUE && !hiInc && isMin(to))) {
          qs.add(LongField.newRangeQuery(t.lucene, a, b));
        }
        if (t.doubleShadow != null) {
          addDoubleRange(qs, t.doubleShadow, from, to, loInc, hiInc);
        }
      } else if (t.strShadow != null) {
        qs.add(termRange(t.strShadow, lo, hi, loInc, hiInc));
      }
      return any(qs, t);
    }

    private static boolean isMax(Number n) {
      return n instanceof Long l && l == Long.MAX_VALUE;
    }

    private static boolean isMin(Number n) {
      return n instanceof Long l && l == Long.MIN_VALUE;
    }

    /** The least long {@code >= n} (inclusive) or {@code > n} (exclusive), saturating. */
    private static long lowerLong(Number n, boolean inclusive) {
      if (n instanceof Long l) {
        return inclusive || l == Long.MAX_VALUE ? l : l + 1;
      }
      double d = n.doubleValue();
      double c = Math.ceil(d);
      if (!inclusive && c == d) {
        c += 1;
      }
      return c >= 0x1p63 ? Long.MAX_VALUE : c < -0x1p63 ? Long.MIN_VALUE : (long) c;
    }

    /** The greatest long {@code <= n} (inclusive) or {@code < n} (exclusive), saturating. */
    private static long upperLong(Number n, boolean inclusive) {
      if (n instanceof Long l) {
        return inclusive || l == Long.MIN_VALUE ? l : l - 1;
      }
      double d = n.doubleValue();
      double f = Math.floor(d);
      if (!inclusive && f == d) {
        f -= 1;
      }
      return f >= 0x1p63 ? Long.MAX_VALUE : f < -0x1p63 ? Long.MIN_VALUE : (long) f;
    }

    private static Number number(String s) {
      if (s == null) {
        return null;
      }
      Long l = Literals.parseLong(s);
      return l != null ? l : Literals.parseDouble(s);
    }

    private static Query doubleRange(Target t, String lo, String hi, boolean loInc, boolean hiInc) {
      Number from = number(lo);
      Number to = number(hi);
      List<Query> qs = new ArrayList<>(2);
      if ((lo == null || from != null) && (hi == null || to != null)) {
        addDoubleRange(qs, t.lucene, from, to, loInc, hiInc);
      } else if (t.strShadow != null) {
        qs.add(termRange(t.strShadow, lo, hi, loInc, hiInc));
      }
      return any(qs, t);
    }

    private static void addDoubleRange(List<Query> qs, String field, Number from, Number to, boolean loInc, boolean hiInc) {
      double a = from == null ? Double.NEGATIVE_INFINITY : from.doubleValue();
      double b = to == null ? Double.POSITIVE_INFINITY : to.doubleValue();
      if (from != null && !loInc) {
        a = Math.nextUp(a);
      }
      if (to != null && !hiInc) {
        b = Math.nextDown(b);
      }
      if (a <= b) {
        qs.add(DoubleField.newRangeQuery(field, a, b));
      }
    }

    private static Query ipRange(Target t, String lo, String hi, boolean loInc, boolean hiInc) {
      byte[] a = new byte[Literals.IP_BYTES];
      byte[] b = new byte[Literals.IP_BYTES];
      int va = lo == null ? -1 : Literals.parseIp(lo, a);
      int vb = hi == null ? -1 : Literals.parseIp(hi, b);
      List<Query> qs = new ArrayList<>(2);
      if (va != 0 && vb != 0) {
        boolean v4 = va == 4 || vb == 4;
        java.net.InetAddress from = lo == null
            ? (v4 ? Literals.toInetAddress(ipv4(0)) : InetAddressPoint.MIN_VALUE)
            : Literals.toInetAddress(a);
        java.net.InetAddress to = hi == null
            ? (v4 ? Literals.toInetAddress(ipv4(0xff)) : InetAddressPoint.MAX_VALUE)
            : Literals.toInetAddress(b);
        try {
          if (lo != null && !loInc) {
            from = InetAddressPoint.nextUp(from);
          }
          if (hi != null && !hiInc) {
            to = InetAddressPoint.nextDown(to);
          }
          qs.add(InetAddressPoint.newRangeQuery(t.lucene, from, to));
        } catch (ArithmeticException e) {
          // an exclusive bound past the end of the address space: the range is empty
        }
      } else if (t.strShadow != null) {
        qs.add(termRange(t.strShadow, lo, hi, loInc, hiInc));
      }
      return any(qs, t);
    }

    private static byte[] ipv4(int fill) {
      byte[] ip = new byte[Literals.IP_BYTES];
      ip[10] = (byte) 0xff;
      ip[11] = (byte) 0xff;
      Arrays.fill(ip, 12, 16, (byte) fill);
      return ip;
    }

    // --- existence, wildcards, prefixes, fuzzy ---

    private static Query exists(Target t) {
      return switch (t.kind) {
        case UNKNOWN -> nothing(t);
        case TEXT -> new TermRangeQuery(t.lucene, null, null, true, true);
        default -> {
          List<Query> qs = new ArrayList<>(3);
          qs.add(new FieldExistsQuery(t.lucene));
          if (t.strShadow != null) {
            qs.add(new FieldExistsQuery(t.strShadow));
          }
          if (t.doubleShadow != null) {
            qs.add(new FieldExistsQuery(t.doubleShadow));
          }
          yield any(qs, t);
        }
      };
    }

    /** {@code termStr} is the raw token image: escapes are still in it. */
    @Override
    protected Query getWildcardQuery(String field, String termStr) {
      if ("*".equals(termStr)) {
        return "*".equals(field) ? MatchAllDocsQuery.INSTANCE : exists(resolve(field));
      }
      Target t = resolve(field);
      return switch (t.kind) {
        case UNKNOWN -> nothing(t);
        case TEXT -> {
          // '?' is a wildcard and a joiner; a pasted URL's "charge?id=9" means the joiner
          String atoms = patternAtoms(termStr);
          Query wildcard = textPattern(t, atoms, 0f);
          String joined = questionMarksBetweenWordsAsJoiners(atoms);
          yield joined.equals(atoms)
              ? wildcard
              : new BooleanQuery.Builder()
                  .add(wildcard, BooleanClause.Occur.SHOULD)
                  .add(textPattern(t, joined, 0f), BooleanClause.Occur.SHOULD)
                  .build();
        }
        case KEYWORD -> new WildcardQuery(new Term(t.lucene, pattern(termStr, s -> s)));
        case LEVEL, FACILITY, BOOL -> new WildcardQuery(new Term(t.lucene, pattern(termStr, LogAnalyzer::lowercase)));
        case LONG, DOUBLE, IP -> t.strShadow == null
            ? nothing(t)
            : new WildcardQuery(new Term(t.strShadow, pattern(termStr, s -> s)));
      };
    }

    /**
     * A WildcardQuery pattern from a raw token: literal runs normalized, escapes kept only where
     * WildcardQuery needs them.
     */
    private static String pattern(String raw, UnaryOperator<String> normalize) {
      StringBuilder out = new StringBuilder(raw.length());
      StringBuilder literal = new StringBuilder();
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '\\' && i + 1 < raw.length()) {
          literal.append(raw.charAt(++i));
        } else if (c == '*' || c == '?') {
          flushLiteral(literal, out, normalize);
          out.append(c);
        } else {
          literal.append(c);
        }
      }
      flushLiteral(literal, out, normalize);
      return out.toString();
    }

    private static void flushLiteral(StringBuilder literal, StringBuilder out, UnaryOperator<String> normalize) {
      if (literal.isEmpty()) {
        return;
      }
      String s = normalize.apply(literal.toString());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '*' || c == '?' || c == '\\') {
          out.append('\\');
        }
        out.append(c);
      }
      literal.setLength(0);
    }

    /** {@code termStr} is unescaped and without the trailing {@code *}. */
    @Override
    protected Query getPrefixQuery(String field, String termStr) {
      Target t = resolve(field);
      return switch (t.kind) {
        case UNKNOWN -> nothing(t);
        case TEXT -> textPattern(t, literalAtoms(termStr) + ANY_RUN, 0f);
        case KEYWORD -> new PrefixQuery(new Term(t.lucene, termStr));
        case LEVEL, FACILITY, BOOL -> new PrefixQuery(new Term(t.lucene, LogAnalyzer.lowercase(termStr)));
        case LONG -> {
          List<Query> qs = new ArrayList<>(2);
          Query numeric = decimalPrefix(t.lucene, termStr);
          if (numeric != null) {
            qs.add(numeric);
          }
          if (t.strShadow != null) {
            qs.add(new PrefixQuery(new Term(t.strShadow, termStr)));
          }
          yield any(qs, t);
        }
        case DOUBLE -> t.strShadow == null ? nothing(t) : new PrefixQuery(new Term(t.strShadow, termStr));
        case IP -> {
          List<Query> qs = new ArrayList<>(2);
          qs.add(ipPrefix(t.lucene, termStr));
          if (t.strShadow != null) {
            qs.add(new PrefixQuery(new Term(t.strShadow, termStr)));
          }
          yield any(qs, t);
        }
      };
    }

    /**
     * Non-negative longs whose decimal form starts with {@code digits}: for {@code 5}, the ranges
     * 5, 50..59, 500..599 and so on. Null when the prefix is not digits.
     */
    private static Query decimalPrefix(String field, String digits) {
      Long p = Literals.parseLong(digits);
      if (p == null || p < 0 || digits.charAt(0) == '+' || digits.charAt(0) == '-') {
        return null;
      }
      if (digits.charAt(0) == '0') {
        return digits.equals("0") ? LongField.newExactQuery(field, 0) : new MatchNoDocsQuery("leading zero");
      }
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      long scale = 1;
      long lo = p;
      while (true) {
        b.add(LongField.newRangeQuery(field, lo, lo + (scale - 1)), BooleanClause.Occur.SHOULD);
        if (lo > Long.MAX_VALUE / 10 || scale > Long.MAX_VALUE / 10) {
          break;
        }
        lo *= 10;
        scale *= 10;
        if (lo > Long.MAX_VALUE - (scale - 1)) {
          b.add(LongField.newRangeQuery(field, lo, Long.MAX_VALUE), BooleanClause.Occur.SHOULD);
          break;
        }
      }
      return b.build();
    }

    /**
     * {@code 10.1.} (whole IPv4 octets and a dot) is the CIDR block {@code 10.1.0.0/16}; any other
     * prefix compares the canonical text form held in doc values.
     */
    private static Query ipPrefix(String field, String prefix) {
      if (prefix.endsWith(".")) {
        String[] octets = prefix.substring(0, prefix.length() - 1).split("\\.", -1);
        if (octets.length >= 1 && octets.length <= 3) {
          byte[] ip = ipv4(0);
          boolean ok = true;
          for (int i = 0; i < octets.length && ok; i++) {
            Long v = Literals.parseLong(octets[i]);
            ok = v != null && v >= 0 && v <= 255 && octets[i].charAt(0) != '+' && octets[i].charAt(0) != '-'
                && (octets[i].length() == 1 || octets[i].charAt(0) != '0');
            if (ok) {
              ip[12 + i] = (byte) (long) v;
            }
          }
          if (ok) {
            return cidr(field, ip, 96 + 8 * octets.length);
          }
        }
      }
      BytesRef lo = new BytesRef(prefix);
      BytesRef hi = new BytesRef(prefix + '\uffff');
      return SortedSetDocValuesField.newSlowRangeQuery(field, lo, hi, true, true);
    }

    @Override
    protected Query getFuzzyQuery(String field, String termStr, float minSimilarity) {
      Target t = resolve(field);
      if (t.kind == Kind.TEXT) {
        return textPattern(t, literalAtoms(termStr), minSimilarity);
      }
      String term = switch (t.kind) {
        case LEVEL, FACILITY, BOOL -> LogAnalyzer.lowercase(termStr);
        default -> termStr;
      };
      String lucene = switch (t.kind) {
        case UNKNOWN -> null;
        case LONG, DOUBLE, IP -> t.strShadow;
        default -> t.lucene;
      };
      if (lucene == null) {
        return nothing(t);
      }
      return fuzzy(lucene, term, FuzzyQuery.floatToEdits(minSimilarity, term.codePointCount(0, term.length())));
    }

    /** A term within {@code edits}; the term itself when none are allowed. */
    private Query fuzzy(String field, String term, int edits) {
      return edits == 0 ? new TermQuery(new Term(field, term)) : new FuzzyQuery(new Term(field, term), edits, getFuzzyPrefixLength());
    }

    // --- patterns on message ---

    /** Stands for an unescaped {@code *} in {@link #patternAtoms} output. */
    private static final char ANY_RUN = '\0';
    /** Stands for an unescaped {@code ?}. */
    private static final char ANY_CHAR = '\1';

    /**
     * The text of a wildcard token with escapes resolved: literal characters as themselves,
     * wildcards as {@link #ANY_RUN} and {@link #ANY_CHAR} (control characters never split in
     * a query and never word characters, so they cannot be confused with literals that matter).
     */
    private static String patternAtoms(String raw) {
      StringBuilder out = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '\\' && i + 1 < raw.length()) {
          char escaped = raw.charAt(++i);
          out.append(escaped == ANY_RUN || escaped == ANY_CHAR ? ' ' : escaped);
        } else if (c == '*') {
          out.append(ANY_RUN);
        } else if (c == '?') {
          out.append(ANY_CHAR);
        } else {
          out.append(c == ANY_RUN || c == ANY_CHAR ? ' ' : c);
        }
      }
      return out.toString();
    }

    /** {@code atoms} with each {@code ?} that has a word character on both sides read as the joiner. */
    private static String questionMarksBetweenWordsAsJoiners(String atoms) {
      char[] a = atoms.toCharArray();
      for (int i = 1; i + 1 < a.length; i++) {
        if (a[i] == ANY_CHAR && LogAnalyzer.isWordCodePoint(Character.codePointBefore(a, i))
            && LogAnalyzer.isWordCodePoint(Character.codePointAt(a, i + 1))) {
          a[i] = '?';
        }
      }
      return new String(a);
    }

    /** Unescaped text for {@link #textPattern}: every character literal. */
    private static String literalAtoms(String text) {
      return text.replace(ANY_RUN, ' ').replace(ANY_CHAR, ' ');
    }

    /**
     * A wildcard, prefix or fuzzy pattern on {@code message}. Like a term, it is split where the
     * text it searches is split into parts (at joiners and separators), and its pieces must match
     * consecutive parts: {@code 10.1.2*} is {@code 10}, {@code 1}, then a part starting with {@code
     * 2}. A {@code *} or {@code ?} stays within one part; a piece that is only {@code *} is any one
     * part, and is dropped at either end ({@code 10.1.*} is the phrase {@code 10 1}). A fuzzy
     * pattern ({@code minSimilarity > 0}) applies its edits to each piece of several, at most
     * one for pieces of 3 to 5 chars and none for shorter ones, so {@code 10.1.2.30~} does not
     * turn every two-digit part into a match.
     *
     * @param atoms the pattern as {@link #patternAtoms} gives it
     */
    private Query textPattern(Target t, String atoms, float minSimilarity) {
      List<String> pieces = new ArrayList<>();
      StringBuilder piece = new StringBuilder();
      for (int i = 0; i < atoms.length(); ) {
        int cp = atoms.codePointAt(i);
        i += Character.charCount(cp);
        if (cp == ANY_RUN || cp == ANY_CHAR || LogAnalyzer.isWordCodePoint(cp)) {
          piece.appendCodePoint(cp);
        } else if (!piece.isEmpty()) {
          pieces.add(piece.toString());
          piece.setLength(0);
        }
      }
      if (!piece.isEmpty()) {
        pieces.add(piece.toString());
      }
      while (!pieces.isEmpty() && isGap(pieces.get(0))) {
        pieces.remove(0);
      }
      while (!pieces.isEmpty() && isGap(pieces.get(pieces.size() - 1))) {
        pieces.remove(pieces.size() - 1);
      }
      if (pieces.isEmpty()) {
        return exists(t);
      }
      List<Query> queries = new ArrayList<>(pieces.size());
      boolean allTerms = true;
      for (String p : pieces) {
        Query q = isGap(p) ? null : pieceQuery(t.lucene, p, minSimilarity, pieces.size() > 1);
        allTerms &= q == null || q instanceof TermQuery;
        queries.add(q);
      }
      if (queries.size() == 1) {
        return queries.get(0);
      }
      if (allTerms) {
        PhraseQuery.Builder phrase = new PhraseQuery.Builder();
        for (int position = 0; position < queries.size(); position++) {
          if (queries.get(position) instanceof TermQuery q) {
            phrase.add(q.getTerm(), position);
          }
        }
        return phrase.build();
      }
      return new PartsPatternQuery(t.lucene, queries, messages);
    }

    /** A piece of only wildcards with a {@code *} in it: any part matches. */
    private static boolean isGap(String piece) {
      return piece.indexOf(ANY_RUN) >= 0 && piece.chars().allMatch(c -> c == ANY_RUN || c == ANY_CHAR);
    }

    private Query pieceQuery(String field, String piece, float minSimilarity, boolean oneOfSeveral) {
      String lower = LogAnalyzer.lowercase(piece);
      int run = lower.indexOf(ANY_RUN);
      int one = lower.indexOf(ANY_CHAR);
      if (run < 0 && one < 0) {
        if (minSimilarity > 0) {
          // edits per part as Elasticsearch's AUTO allows them: none up to 2 chars, 1 up to 5
          int length = lower.codePointCount(0, lower.length());
          int edits = FuzzyQuery.floatToEdits(minSimilarity, length);
          if (oneOfSeveral) {
            edits = Math.min(edits, length <= 2 ? 0 : length <= 5 ? 1 : 2);
          }
          return fuzzy(field, lower, edits);
        }
        return new TermQuery(new Term(field, lower));
      }
      if (one < 0 && run == lower.length() - 1) {
        return new PrefixQuery(new Term(field, lower.substring(0, run)));
      }
      // word characters need no escaping in a WildcardQuery pattern
      return new WildcardQuery(new Term(field, lower.replace(ANY_RUN, '*').replace(ANY_CHAR, '?')));
    }

    @Override
    protected Query getRegexpQuery(String field, String termStr) throws ParseException {
      throw new PositionedParseException("regular expressions are not supported", position());
    }

    /** A group of only NOT clauses means "everything but", as people expect, not "nothing". */
    @Override
    protected Query getBooleanQuery(List<BooleanClause> clauses) throws ParseException {
      if (clauses.isEmpty()) {
        return null;
      }
      boolean onlyProhibited = true;
      for (BooleanClause c : clauses) {
        if (c.occur() != BooleanClause.Occur.MUST_NOT) {
          onlyProhibited = false;
          break;
        }
      }
      if (!onlyProhibited) {
        return super.getBooleanQuery(clauses);
      }
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      b.add(MatchAllDocsQuery.INSTANCE, BooleanClause.Occur.MUST);
      for (BooleanClause c : clauses) {
        b.add(c);
      }
      return b.build();
    }
  }
}
