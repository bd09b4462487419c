#include "http/HttpRequestHead.h"

namespace {

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

/// Field values: visible ASCII, obs-text (bytes >= 0x80), space and tab; never CR, LF, NUL.
bool isFieldValue(QByteArrayView text)
{
    for (const char c : text) {
        const uchar u = uchar(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool fail(int code, const QString &why, int *status, QString *error)
{
    *status = code;
    *error = why;
    return false;
}

bool parseRequestLine(QByteArrayView line, HttpRequestHead *head, int *status, QString *error)
{
    const qsizetype first = line.indexOf(' ');
    const qsizetype last = line.lastIndexOf(' ');
    if (first <= 0 || last == first)
        return fail(400, QStringLiteral("the request line is not 'METHOD /path HTTP/1.1'"), status,
                    error);
    const QByteArrayView method = line.first(first);
    const QByteArrayView target = line.sliced(first + 1, last - first - 1);
    const QByteArrayView version = line.sliced(last + 1);
    if (!isToken(method))
        return fail(400, QStringLiteral("the method is not a token"), status, error);
    if (!version.startsWith("HTTP/") || version.size() != 8 || version[6] != '.')
        return fail(400, QStringLiteral("the request line does not end in HTTP/1.x"), status,
                    error);
    if (version[5] != '1' || (version[7] != '0' && version[7] != '1'))
        return fail(505, QStringLiteral("only HTTP/1.0 and HTTP/1.1 are served"), status, error);
    if (!target.startsWith('/'))
        return fail(400, QStringLiteral("the target must be a path starting with '/'"), status,
                    error);
    for (const char c : target)
        if (uchar(c) <= 0x20 || uchar(c) >= 0x7f)
            return fail(400, QStringLiteral("the target has a space or control character"), status,
                        error);
    head->method = method.toByteArray();
    head->target = target.toByteArray();
    const qsizetype query = target.indexOf('?');
    head->path = (query < 0 ? target : target.first(query)).toByteArray();
    head->minorVersion = version[7] - '0';
    return true;
}

} // namespace

QByteArray HttpRequestHead::value(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

int HttpRequestHead::count(QByteArrayView lowerName) const
{
    int n = 0;
    for (const auto &header : headers)
        n += header.first == lowerName;
    return n;
}

bool HttpRequestHead::keepAlive() const
{
    const QByteArray connection = value("connection").toLower();
    if (minorVersion == 0)
        return connection.contains("keep-alive");
    return !connection.contains("close");
}

std::optional<HttpRequestHead> HttpRequestHead::parse(QByteArrayView head, int maxHeaders,
                                                      int *status, QString *error)
{
    HttpRequestHead out;
    qsizetype start = 0;
    bool firstLine = true;
    while (start < head.size()) {
        qsizetype end = head.indexOf('\n', start);
        if (end < 0)
            end = head.size();
        QByteArrayView line = head.sliced(start, end - start);
        start = end + 1;
        if (line.endsWith('\r'))
            line.chop(1);
        if (firstLine) {
            if (!parseRequestLine(line, &out, status, error))
                return std::nullopt;
            firstLine = false;
            continue;
        }
        if (line.isEmpty())
            continue; // the terminating blank line, if the caller left it in
        if (line.front() == ' ' || line.front() == '\t') {
            fail(400, QStringLiteral("folded header lines are not accepted"), status, error);
            return std::nullopt;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.first(colon))) {
            fail(400, QStringLiteral("a header line is not 'Name: value'"), status, error);
            return std::nullopt;
        }
        const QByteArrayView value = line.sliced(colon + 1).trimmed();
        if (!isFieldValue(value)) {
            fail(400, QStringLiteral("a header value has a control character"), status, error);
            return std::nullopt;
        }
        if (out.headers.size() >= maxHeaders) {
            fail(431, QStringLiteral("more than %1 headers").arg(maxHeaders), status, error);
            return std::nullopt;
        }
        out.headers.append({line.first(colon).toByteArray().toLower(), value.toByteArray()});
    }
    if (firstLine) {
        fail(400, QStringLiteral("the request is empty"), status, error);
        return std::nullopt;
    }
    return out;
}
