// Over 300 lines on purpose: one incremental HTTP/1.x response parser (head, Content-Length, chunked, to-close) whose
// framing rules and size caps must be read together to see that no path escapes the caps.
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System;
using PSUpnp.Text;

namespace PSUpnp.Net
{
    /// <summary>
    /// Reads one HTTP/1.x response from bytes as they arrive: head, then a body framed by Content-Length, chunked
    /// transfer coding, or the end of the connection. Bounded by <see cref="HttpLimits"/> at every step, so a device
    /// can neither make us buffer more than the cap nor keep us reading a body that never ends.
    /// </summary>
    internal sealed class HttpResponseReader
    {
        private readonly Uri _url;
        private readonly HttpLimits _limits;
        private byte[] _buffer = new byte[4096];
        private int _count;
        private int _headSearchFrom;
        private int _bodyStart = -1;
        private int _status;
        private string _reason = string.Empty;
        private List<KeyValuePair<string, string>>? _headers;
        private Framing _framing;
        private long _contentLength;
        private int _chunkCursor;
        private MemoryStream? _chunkedBody;

        public HttpResponseReader(Uri url, HttpLimits limits)
        {
            _url = url;
            _limits = limits;
        }

        private enum Framing
        {
            None,
            ContentLength,
            Chunked,
            UntilClose,
        }

        /// <summary>True once a complete response has been read; the caller stops reading.</summary>
        public bool IsComplete { get; private set; }

        /// <summary>Parses a complete response held in memory (a capture, a corpus file).</summary>
        public static HttpResponse Parse(byte[] raw, Uri url, HttpLimits limits)
        {
            var reader = new HttpResponseReader(url, limits);
            reader.Append(raw, 0, raw.Length);
            return reader.Finish();
        }

        public void Append(byte[] data, int offset, int length)
        {
            if (IsComplete || length == 0)
            {
                return;
            }

            EnsureCapacity(_count + length);
            Buffer.BlockCopy(data, offset, _buffer, _count, length);
            _count += length;

            if (_bodyStart < 0 && !TryParseHead())
            {
                return;
            }

            Advance();
        }

        /// <summary>Called when the connection has closed (or all bytes were given): returns the response or says what is missing.</summary>
        public HttpResponse Finish()
        {
            if (_bodyStart < 0)
            {
                if (_count == 0)
                {
                    throw HttpErrors.Incomplete(_url, "no answer at all");
                }

                throw HttpErrors.Incomplete(_url, "the header was not finished");
            }

            if (!IsComplete)
            {
                if (_framing == Framing.UntilClose)
                {
                    IsComplete = true;
                }
                else
                {
                    throw HttpErrors.Incomplete(
                        _url,
                        _framing == Framing.Chunked
                            ? "the chunked body ended early"
                            : string.Format(CultureInfo.InvariantCulture, "{0} of {1} body bytes", _count - _bodyStart, _contentLength));
                }
            }

            return new HttpResponse(_status, _reason, _headers!, Body());
        }

        private byte[] Body()
        {
            switch (_framing)
            {
                case Framing.Chunked:
                    return _chunkedBody!.ToArray();
                case Framing.ContentLength:
                    return Slice(_bodyStart, (int)_contentLength);
                case Framing.UntilClose:
                    return Slice(_bodyStart, _count - _bodyStart);
                default:
                    return Array.Empty<byte>();
            }
        }

        private byte[] Slice(int start, int length)
        {
            var body = new byte[length];
            Buffer.BlockCopy(_buffer, start, body, 0, length);
            return body;
        }

        private void EnsureCapacity(int needed)
        {
            if (needed <= _buffer.Length)
            {
                return;
            }

            var size = _buffer.Length;
            while (size < needed)
            {
                size *= 2;
            }

            Array.Resize(ref _buffer, size);
        }

        private bool TryParseHead()
        {
            var end = FindHeadEnd(out var terminatorLength);
            if (end < 0)
            {
                if (_count > _limits.MaxHeaderBytes)
                {
                    throw HttpErrors.TooLarge(_url, _limits.MaxHeaderBytes);
                }

                return false;
            }

            ParseHead(end);
            var bodyStart = end + terminatorLength;

            // 1xx interim answers (100 Continue) precede the real one: drop them and read on.
            if (_status >= 100 && _status < 200)
            {
                Buffer.BlockCopy(_buffer, bodyStart, _buffer, 0, _count - bodyStart);
                _count -= bodyStart;
                _headSearchFrom = 0;
                return TryParseHead();
            }

            _bodyStart = bodyStart;
            ChooseFraming();
            return true;
        }

        private int FindHeadEnd(out int terminatorLength)
        {
            // Devices end the head with CRLF CRLF; a few send bare LF LF.
            for (var i = _headSearchFrom; i < _count; i++)
            {
                if (_buffer[i] != '\n')
                {
                    continue;
                }

                if (i + 1 < _count && _buffer[i + 1] == '\n')
                {
                    terminatorLength = 2;
                    return i;
                }

                if (i + 2 < _count && _buffer[i + 1] == '\r' && _buffer[i + 2] == '\n')
                {
                    terminatorLength = 3;
                    return i;
                }
            }

            _headSearchFrom = Math.Max(0, _count - 2);
            terminatorLength = 0;
            return -1;
        }

        private void ParseHead(int end)
        {
            var lines = Latin1(0, end).Split('\n');
            var statusLine = lines[0].TrimEnd('\r');
            if (!statusLine.StartsWith("HTTP/", StringComparison.OrdinalIgnoreCase))
            {
                throw HttpErrors.Malformed(_url, "the status line does not start with HTTP/");
            }

            var firstSpace = statusLine.IndexOf(' ');
            var codeText = firstSpace < 0 ? string.Empty : statusLine.Substring(firstSpace + 1).TrimStart();
            if (codeText.Length < 3
                || !int.TryParse(codeText.Substring(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _status)
                || _status < 100
                || (codeText.Length > 3 && codeText[3] != ' '))
            {
                throw HttpErrors.Malformed(_url, $"the status line '{DeviceText.Printable(statusLine)}' has no status code");
            }

            _reason = codeText.Length > 4 ? codeText.Substring(4).Trim() : string.Empty;
            _headers = new List<KeyValuePair<string, string>>();
            for (var i = 1; i < lines.Length; i++)
            {
                var line = lines[i].TrimEnd('\r');
                if (line.Length == 0)
                {
                    continue;
                }

                if ((line[0] == ' ' || line[0] == '\t') && _headers.Count > 0)
                {
                    // obs-fold: a continuation of the previous header's value.
                    var last = _headers[_headers.Count - 1];
                    _headers[_headers.Count - 1] = new KeyValuePair<string, string>(last.Key, last.Value + " " + line.Trim());
                    continue;
                }

                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw HttpErrors.Malformed(_url, $"the header line '{DeviceText.Printable(line)}' has no name");
                }

                _headers.Add(new KeyValuePair<string, string>(line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
            }
        }

        private void ChooseFraming()
        {
            if (_status == 204 || _status == 304)
            {
                _framing = Framing.None;
                return;
            }

            string? contentLength = null;
            var chunked = false;
            foreach (var h in _headers!)
            {
                if (string.Equals(h.Key, "Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                    && h.Value.IndexOf("chunked", StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    chunked = true;
                }
                else if (string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    if (contentLength != null && contentLength != h.Value)
                    {
                        throw HttpErrors.Malformed(_url, "it names two different Content-Length values");
                    }

                    contentLength = h.Value;
                }
            }

            if (chunked)
            {
                _framing = Framing.Chunked;
                _chunkCursor = _bodyStart;
                _chunkedBody = new MemoryStream();
            }
            else if (contentLength != null)
            {
                if (!long.TryParse(contentLength, NumberStyles.None, CultureInfo.InvariantCulture, out _contentLength))
                {
                    throw HttpErrors.Malformed(_url, $"Content-Length '{DeviceText.Printable(contentLength)}' is not a number");
                }

                if (_contentLength > _limits.MaxBodyBytes)
                {
                    throw HttpErrors.TooLarge(_url, _limits.MaxBodyBytes);
                }

                _framing = Framing.ContentLength;
            }
            else
            {
                _framing = Framing.UntilClose;
            }
        }

        private void Advance()
        {
            switch (_framing)
            {
                case Framing.None:
                    IsComplete = true;
                    break;
                case Framing.ContentLength:
                    IsComplete = _count - _bodyStart >= _contentLength;
                    break;
                case Framing.UntilClose:
                    if (_count - _bodyStart > _limits.MaxBodyBytes)
                    {
                        throw HttpErrors.TooLarge(_url, _limits.MaxBodyBytes);
                    }

                    break;
                case Framing.Chunked:
                    AdvanceChunks();
                    break;
            }
        }

        private void AdvanceChunks()
        {
            while (true)
            {
                var lineEnd = IndexOfLf(_chunkCursor);
                if (lineEnd < 0)
                {
                    if (_count - _chunkCursor > 1024)
                    {
                        throw HttpErrors.Malformed(_url, "a chunk size line is too long");
                    }

                    return;
                }

                var sizeText = Latin1(_chunkCursor, lineEnd - _chunkCursor).TrimEnd('\r');
                var semicolon = sizeText.IndexOf(';');
                if (semicolon >= 0)
                {
                    sizeText = sizeText.Substring(0, semicolon);
                }

                sizeText = sizeText.Trim();
                if (sizeText.Length == 0 || sizeText.Length > 8
                    || !int.TryParse(sizeText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size)
                    || size < 0)
                {
                    throw HttpErrors.Malformed(_url, $"the chunk size '{DeviceText.Printable(sizeText)}' is not a hexadecimal number");
                }

                var dataStart = lineEnd + 1;
                if (size == 0)
                {
                    // Trailer section: header lines until an empty line; most devices send none.
                    var cursor = dataStart;
                    while (true)
                    {
                        var end = IndexOfLf(cursor);
                        if (end < 0)
                        {
                            return;
                        }

                        var isEmpty = end == cursor || (end == cursor + 1 && _buffer[cursor] == '\r');
                        cursor = end + 1;
                        if (isEmpty)
                        {
                            IsComplete = true;
                            return;
                        }
                    }
                }

                if (_chunkedBody!.Length + size > _limits.MaxBodyBytes)
                {
                    throw HttpErrors.TooLarge(_url, _limits.MaxBodyBytes);
                }

                if (_count < dataStart + size)
                {
                    return;
                }

                var afterData = IndexOfLf(dataStart + size);
                if (afterData < 0)
                {
                    return;
                }

                _chunkedBody.Write(_buffer, dataStart, size);
                _chunkCursor = afterData + 1;
            }
        }

        private int IndexOfLf(int from)
        {
            for (var i = from; i < _count; i++)
            {
                if (_buffer[i] == '\n')
                {
                    return i;
                }
            }

            return -1;
        }

        private string Latin1(int start, int length)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = (char)_buffer[start + i];
            }

            return new string(chars);
        }
    }
}
