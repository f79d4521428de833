using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using System.Xml.Linq;

namespace PSUpnp.Tests.Fakes
{
    /// <summary>
    /// A WANIPConnection control endpoint (v1 or v2) on loopback with a real mapping table, whose behaviour tests
    /// script: strict v2 lease checks, the quirks of devices in the field (725, 726, 718 on renewal, failing
    /// GetListOfPortMappings, odd end-of-table codes), and transport faults (slow, cut, oversized, malformed answers).
    /// It covers what the lab's miniupnpd cannot show.
    /// </summary>
    public sealed class FakeIgdServer : IDisposable
    {
        public const string ControlPath = "/ctl/IPConn";
        public static readonly IPAddress LocalAddress = IPAddress.Parse("192.168.1.10");

        private readonly LoopbackHttpServer _http;
        private readonly object _gate = new object();
        private readonly List<FakeMapping> _table = new List<FakeMapping>();
        private readonly List<FakeCall> _calls = new List<FakeCall>();
        private int _disposed;

        public FakeIgdServer(int serviceVersion = 1)
        {
            ServiceVersion = serviceVersion;
            _http = new LoopbackHttpServer(ServeAsync);
            Gateway = new UpnpGateway(
                "Fake IGD",
                "PSUpnp tests",
                "FakeIgdServer",
                "uuid:00000000-0000-0000-0000-000000000001",
                serviceVersion,
                "urn:schemas-upnp-org:service:WANIPConnection:" + serviceVersion.ToString(CultureInfo.InvariantCulture),
                _http.Url(ControlPath),
                _http.Url("/rootDesc.xml"),
                null,
                LocalAddress);
        }

        public int ServiceVersion { get; }
        public UpnpGateway Gateway { get; }

        public string ExternalAddress { get; set; } = "203.0.113.7";
        public string ConnectionStatus { get; set; } = "Connected";
        public int Uptime { get; set; } = 4242;

        /// <summary>725 for any lease other than 0, as some v1 routers do.</summary>
        public bool OnlyPermanentLeases { get; set; }
        /// <summary>The fault <see cref="OnlyPermanentLeases"/> gives: 725, or 402 as some v1 routers answer instead.</summary>
        public int PermanentLeasesFault { get; set; } = 725;
        /// <summary>726 for any remote host other than the wildcard.</summary>
        public bool RemoteHostWildcardOnly { get; set; }
        /// <summary>718 when the same client re-adds its own mapping, as some routers do instead of refreshing it.</summary>
        public bool RefuseRenewalWith718 { get; set; }
        /// <summary>Success for a DeletePortMapping of a mapping that does not exist, as miniupnpd 2.3 answers, instead of 714.</summary>
        public bool DeleteOfMissingSucceeds { get; set; }
        /// <summary>The fault GetGenericPortMappingEntry gives past the end of the table.</summary>
        public int EndOfTableCode { get; set; } = 713;
        /// <summary>What the router keeps of a description it is given (miniupnpd keeps 63 bytes); null keeps it whole.</summary>
        public Func<string, string>? KeepDescription { get; set; }

        /// <summary>The most entries GetListOfPortMappings returns per call, whatever NewNumberOfPorts asks.</summary>
        public int ListCap { get; set; } = 1000;

        /// <summary>Per call: a scripted reply, or null for the table's normal behaviour. Called from server threads.</summary>
        public Func<FakeCall, FakeReply?>? Script { get; set; }

        public IReadOnlyList<FakeCall> Calls
        {
            get
            {
                lock (_gate)
                {
                    return _calls.ToList();
                }
            }
        }

        public IReadOnlyList<FakeMapping> Table
        {
            get
            {
                lock (_gate)
                {
                    return _table.ToList();
                }
            }
        }

        public int CallCount(string action) => Calls.Count(c => c.Action == action);

        public void Add(FakeMapping mapping)
        {
            lock (_gate)
            {
                _table.Add(mapping);
            }
        }

        /// <summary>Forgets every mapping, as a router does when it restarts.</summary>
        public void Clear()
        {
            lock (_gate)
            {
                _table.Clear();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                _http.Dispose();
            }
        }

        public static string FaultBody(int code, string description) =>
            "<?xml version=\"1.0\"?>\r\n<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">"
            + "<s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>"
            + "<UPnPError xmlns=\"urn:schemas-upnp-org:control-1-0\"><errorCode>" + code.ToString(CultureInfo.InvariantCulture)
            + "</errorCode><errorDescription>" + description + "</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>\r\n";

        private async Task ServeAsync(RecordedRequest request, NetworkStream stream, CancellationToken ct)
        {
            var call = FakeCall.From(request);
            lock (_gate)
            {
                _calls.Add(call);
            }

            var reply = Script?.Invoke(call);
            if (reply?.Delay is TimeSpan delay)
            {
                await Task.Delay(delay, ct);
            }

            if (reply?.Loss is FakeLoss loss)
            {
                await LoseAsync(loss, call, stream, ct);
                return;
            }

            byte[] bytes;
            if (reply?.RawResponse != null)
            {
                bytes = reply.RawResponse;
            }
            else if (reply?.FaultCode is int code)
            {
                bytes = Http(500, "Internal Server Error", FaultBody(code, "Scripted"));
            }
            else
            {
                var (status, body) = Handle(call);
                bytes = Http(status, status == 200 ? "OK" : "Internal Server Error", body);
            }

            if (reply?.CutAfterBytes is int cut)
            {
                await stream.WriteAsync(bytes.AsMemory(0, Math.Min(cut, bytes.Length)), ct);
                return;
            }

            await stream.WriteAsync(bytes, ct);
        }

        private async Task LoseAsync(FakeLoss loss, FakeCall call, NetworkStream stream, CancellationToken ct)
        {
            if (loss == FakeLoss.Request)
            {
                return;
            }

            Handle(call);
            if (loss == FakeLoss.AnswerSilently)
            {
                // Hold the connection open without a byte until the client gives up on it and closes.
                var sink = new byte[256];
                while (await stream.ReadAsync(sink, ct) > 0)
                {
                }
            }
        }

        private static byte[] Http(int status, string reason, string body) =>
            LoopbackHttpServer.Response(status, reason, "text/xml; charset=\"utf-8\"", Encoding.UTF8.GetBytes(body));

        private (int Status, string Body) Handle(FakeCall call)
        {
            lock (_gate)
            {
                try
                {
                    return (200, Respond(call.Action, Dispatch(call)));
                }
                catch (FaultSignal f)
                {
                    return (500, FaultBody(f.Code, f.Description));
                }
            }
        }

        private IEnumerable<(string, string)> Dispatch(FakeCall c)
        {
            switch (c.Action)
            {
                case "GetExternalIPAddress":
                    return new[] { ("NewExternalIPAddress", ExternalAddress) };
                case "GetStatusInfo":
                    return new[] { ("NewConnectionStatus", ConnectionStatus), ("NewLastConnectionError", "ERROR_NONE"), ("NewUptime", Uptime.ToString(CultureInfo.InvariantCulture)) };
                case "AddPortMapping":
                    AddMapping(c, c.Int("NewExternalPort"));
                    return Array.Empty<(string, string)>();
                case "DeletePortMapping":
                    var gone = Find(c);
                    if (gone == null && !DeleteOfMissingSucceeds)
                    {
                        throw new FaultSignal(714, "NoSuchEntryInArray");
                    }

                    _table.Remove(gone!);
                    return Array.Empty<(string, string)>();
                case "GetSpecificPortMappingEntry":
                    var m1 = Find(c) ?? throw new FaultSignal(714, "NoSuchEntryInArray");
                    return new[]
                    {
                        ("NewInternalPort", m1.InternalPort.ToString(CultureInfo.InvariantCulture)), ("NewInternalClient", m1.InternalClient),
                        ("NewEnabled", m1.Enabled ? "1" : "0"), ("NewPortMappingDescription", m1.Description), ("NewLeaseDuration", m1.Lease.ToString(CultureInfo.InvariantCulture)),
                    };
                case "GetGenericPortMappingEntry":
                    var index = c.Int("NewPortMappingIndex");
                    if (index >= _table.Count)
                    {
                        throw new FaultSignal(EndOfTableCode, "SpecifiedArrayIndexInvalid");
                    }

                    var m2 = _table[index];
                    return new[]
                    {
                        ("NewRemoteHost", m2.RemoteHost), ("NewExternalPort", m2.ExternalPort.ToString(CultureInfo.InvariantCulture)), ("NewProtocol", m2.Protocol),
                        ("NewInternalPort", m2.InternalPort.ToString(CultureInfo.InvariantCulture)), ("NewInternalClient", m2.InternalClient),
                        ("NewEnabled", m2.Enabled ? "1" : "0"), ("NewPortMappingDescription", m2.Description), ("NewLeaseDuration", m2.Lease.ToString(CultureInfo.InvariantCulture)),
                    };
                case "GetListOfPortMappings":
                    RequireV2();
                    var page = _table
                        .Where(m => m.Protocol == c["NewProtocol"] && m.ExternalPort >= c.Int("NewStartPort") && m.ExternalPort <= c.Int("NewEndPort"))
                        .OrderBy(m => m.ExternalPort)
                        .Take(Math.Min(ListCap, c.Int("NewNumberOfPorts") == 0 ? int.MaxValue : c.Int("NewNumberOfPorts")))
                        .ToList();
                    if (page.Count == 0)
                    {
                        throw new FaultSignal(730, "PortMappingNotFound");
                    }

                    return new[] { ("NewPortListing", ListDocument(page)) };
                default:
                    throw new FaultSignal(401, "Invalid Action");
            }
        }

        private void RequireV2()
        {
            if (ServiceVersion < 2)
            {
                throw new FaultSignal(401, "Invalid Action");
            }
        }

        private void AddMapping(FakeCall c, int externalPort)
        {
            var lease = c.Int("NewLeaseDuration");
            if (ServiceVersion >= 2 && (lease == 0 || lease > 604800))
            {
                // What the IGD v2 specification demands; a client that sends 0 or more than a week to v2 is wrong.
                throw new FaultSignal(402, "Invalid Args");
            }

            if (OnlyPermanentLeases && lease != 0)
            {
                throw new FaultSignal(PermanentLeasesFault, PermanentLeasesFault == 725 ? "OnlyPermanentLeasesSupported" : "Invalid Args");
            }

            if (RemoteHostWildcardOnly && c["NewRemoteHost"].Length > 0)
            {
                throw new FaultSignal(726, "RemoteHostOnlySupportsWildcard");
            }

            var mapping = new FakeMapping(c["NewRemoteHost"], externalPort, c["NewProtocol"], c.Int("NewInternalPort"), c["NewInternalClient"], c["NewEnabled"] == "1", KeepDescription?.Invoke(c["NewPortMappingDescription"]) ?? c["NewPortMappingDescription"], lease);
            var existing = _table.FindIndex(m => m.RemoteHost == mapping.RemoteHost && m.ExternalPort == externalPort && m.Protocol == mapping.Protocol);
            if (existing >= 0)
            {
                var old = _table[existing];
                if (old.InternalClient != mapping.InternalClient || old.InternalPort != mapping.InternalPort || RefuseRenewalWith718)
                {
                    throw new FaultSignal(718, "ConflictInMappingEntry");
                }

                _table[existing] = mapping;
                return;
            }

            _table.Add(mapping);
        }

        private FakeMapping? Find(FakeCall c) =>
            _table.FirstOrDefault(m => m.RemoteHost == c["NewRemoteHost"] && m.ExternalPort == c.Int("NewExternalPort") && m.Protocol == c["NewProtocol"]);

        private static string ListDocument(IEnumerable<FakeMapping> page)
        {
            XNamespace p = "urn:schemas-upnp-org:gw:WANIPConnection";
            var doc = new XElement(
                p + "PortMappingList",
                new XAttribute(XNamespace.Xmlns + "p", p.NamespaceName),
                page.Select(m => new XElement(
                    p + "PortMappingEntry",
                    new XElement(p + "NewRemoteHost", m.RemoteHost),
                    new XElement(p + "NewExternalPort", m.ExternalPort),
                    new XElement(p + "NewProtocol", m.Protocol),
                    new XElement(p + "NewInternalPort", m.InternalPort),
                    new XElement(p + "NewInternalClient", m.InternalClient),
                    new XElement(p + "NewEnabled", m.Enabled ? 1 : 0),
                    new XElement(p + "NewDescription", m.Description),
                    new XElement(p + "NewLeaseTime", m.Lease))));
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + Serialize(doc);
        }

        private string Respond(string action, IEnumerable<(string Name, string Value)> args)
        {
            XNamespace s = "http://schemas.xmlsoap.org/soap/envelope/";
            XNamespace u = Gateway.ServiceType!;
            var envelope = new XElement(
                s + "Envelope",
                new XAttribute(XNamespace.Xmlns + "s", s.NamespaceName),
                new XAttribute(s + "encodingStyle", "http://schemas.xmlsoap.org/soap/encoding/"),
                new XElement(
                    s + "Body",
                    new XElement(
                        u + (action + "Response"),
                        new XAttribute(XNamespace.Xmlns + "u", u.NamespaceName),
                        args.Select(a => new XElement(a.Name, a.Value)))));
            return "<?xml version=\"1.0\"?>\r\n" + Serialize(envelope);
        }

        // CR written as a character reference, so that the table's values come back byte-exact.
        private static string Serialize(XElement element)
        {
            var sb = new StringBuilder();
            using (var writer = XmlWriter.Create(sb, new XmlWriterSettings { OmitXmlDeclaration = true, NewLineHandling = NewLineHandling.Entitize }))
            {
                element.WriteTo(writer);
            }

            return sb.ToString();
        }

        private sealed class FaultSignal : Exception
        {
            public FaultSignal(int code, string description)
                : base(description)
            {
                Code = code;
                Description = description;
            }

            public int Code { get; }
            public string Description { get; }
        }
    }

    /// <summary>A row of the fake router's table, as strings the way the wire carries them.</summary>
    public sealed record FakeMapping(string RemoteHost, int ExternalPort, string Protocol, int InternalPort, string InternalClient, bool Enabled, string Description, int Lease);

    /// <summary>One SOAP request as the fake router received it.</summary>
    public sealed class FakeCall
    {
        private FakeCall(RecordedRequest request, string soapAction, string action, IReadOnlyList<KeyValuePair<string, string>> arguments)
        {
            Request = request;
            SoapAction = soapAction;
            Action = action;
            Arguments = arguments;
        }

        public RecordedRequest Request { get; }
        /// <summary>The SOAPAction header exactly as sent, quotes included.</summary>
        public string SoapAction { get; }
        public string Action { get; }
        public IReadOnlyList<KeyValuePair<string, string>> Arguments { get; }

        public string this[string name] => Arguments.FirstOrDefault(a => a.Key == name).Value ?? string.Empty;

        public int Int(string name) => int.Parse(this[name], CultureInfo.InvariantCulture);

        internal static FakeCall From(RecordedRequest request)
        {
            var soapAction = request.Header("SOAPAction") ?? string.Empty;
            var hash = soapAction.IndexOf('#');
            var action = hash < 0 ? string.Empty : soapAction.Substring(hash + 1).TrimEnd('"');
            var args = new List<KeyValuePair<string, string>>();
            using (var reader = XmlReader.Create(new MemoryStream(request.Body), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit }))
            {
                var body = XDocument.Load(reader).Root!.Elements().Single(e => e.Name.LocalName == "Body");
                var actionElement = body.Elements().Single();
                if (actionElement.Name.LocalName != action)
                {
                    throw new InvalidDataException("SOAPAction names " + action + " but the body carries " + actionElement.Name.LocalName);
                }

                foreach (var e in actionElement.Elements())
                {
                    args.Add(new KeyValuePair<string, string>(e.Name.LocalName, e.Value));
                }
            }

            return new FakeCall(request, soapAction, action, args);
        }
    }

    /// <summary>Where a request or its answer is lost on the way.</summary>
    public enum FakeLoss
    {
        /// <summary>The connection closes before the router acts: the request never arrived.</summary>
        Request,
        /// <summary>The router acts on the request, then the connection closes without an answer.</summary>
        Answer,
        /// <summary>The router acts on the request, then nothing more comes until the client closes the connection.</summary>
        AnswerSilently,
    }

    /// <summary>What a script makes the fake router do instead of (or before) its normal answer.</summary>
    public sealed class FakeReply
    {
        public FakeLoss? Loss { get; private set; }
        public int? FaultCode { get; private set; }
        public byte[]? RawResponse { get; private set; }
        public TimeSpan? Delay { get; private set; }
        public int? CutAfterBytes { get; private set; }

        public static FakeReply Fault(int code) => new FakeReply { FaultCode = code };

        public static FakeReply Lost(FakeLoss loss) => new FakeReply { Loss = loss };

        public static FakeReply Raw(byte[] response) => new FakeReply { RawResponse = response };

        public static FakeReply Raw(int status, string reason, string body) =>
            Raw(LoopbackHttpServer.Response(status, reason, "text/xml; charset=\"utf-8\"", Encoding.UTF8.GetBytes(body)));

        /// <summary>Waits, then answers normally.</summary>
        public static FakeReply Slow(TimeSpan delay) => new FakeReply { Delay = delay };

        /// <summary>Sends the first bytes of the normal answer and closes the connection.</summary>
        public static FakeReply CutAfter(int bytes) => new FakeReply { CutAfterBytes = bytes };

        public static FakeReply Oversized(int bodyBytes) =>
            Raw(LoopbackHttpServer.Response(200, "OK", "text/xml", Encoding.ASCII.GetBytes(new string(' ', bodyBytes))));

        public static FakeReply Malformed() =>
            Raw(200, "OK", "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body><u:X xmlns:u=\"urn:x\"><NewExternalIPAddress>1.2.3.4</u:X></s:Body></s:Envelope>");
    }
}
