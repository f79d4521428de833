using System;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using PSUpnp.Net;
using PSUpnp.Stun;
using PSUpnp.Tests.Surface;
using Xunit;

namespace PSUpnp.Tests.Errors
{
    /// <summary>The one catalogue of ErrorIds (UpnpErrors): its naming scheme, its numbered families, and the table of about_PSUpnp.</summary>
    public sealed class ErrorCatalogueTests
    {
        private static readonly Regex Row = new Regex(@"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|\s*(.+?)\s*\|\s*$", RegexOptions.Multiline);

        [Fact]
        public void The_about_topic_lists_every_error_of_the_catalogue_with_its_category_and_meaning_and_nothing_else()
        {
            var text = File.ReadAllText(Path.Combine(HelpFile.Directory, "about_PSUpnp.help.md"));
            var start = text.IndexOf("\n## ERRORS\n", StringComparison.Ordinal);
            Assert.True(start >= 0, "about_PSUpnp has no ## ERRORS section");
            var end = text.IndexOf("\n#", start + 2, StringComparison.Ordinal);
            var section = text.Substring(start, (end < 0 ? text.Length : end) - start);

            var documented = Row.Matches(section).Select(m => (Id: m.Groups[1].Value, Category: m.Groups[2].Value, Meaning: m.Groups[3].Value)).ToList();
            var catalogue = UpnpErrors.All.Select(e => (e.Id, Category: e.Category?.ToString() ?? "varies", e.Meaning)).ToList();

            Assert.NotEmpty(catalogue);
            Assert.Equal(catalogue.OrderBy(e => e.Id, StringComparer.Ordinal), documented.OrderBy(e => e.Id, StringComparer.Ordinal));
        }

        [Fact]
        public void Every_id_is_unique_and_names_its_protocol_then_its_condition_without_spaces()
        {
            var ids = UpnpErrors.All.Select(e => e.Id).ToList();

            Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
            Assert.All(ids, id => Assert.Matches(@"^(Upnp|Stun|NatPmp|Pcp)[A-Z][A-Za-z]*(<n>)?$", id));
            Assert.All(UpnpErrors.All, e => Assert.False(string.IsNullOrWhiteSpace(e.RecommendedAction), e.Id + " has no advice"));
        }

        [Fact]
        public void A_numbered_family_names_each_member_by_the_number_the_router_sent()
        {
            var fault = new UpnpFaultException(718, "ConflictInMappingEntry", "AddPortMapping", new Uri("http://192.168.1.1:5000/ctl"));
            var status = new UpnpHttpStatusException(404, "gone", new Uri("http://192.168.1.1:5000/ctl"));

            Assert.Same(UpnpErrors.Fault, fault.Entry);
            Assert.Equal("UpnpError718", fault.ErrorId);
            Assert.Equal(UpnpErrorCategory.ResourceExists, fault.Category);
            Assert.Same(UpnpErrors.HttpError, status.Entry);
            Assert.Equal("UpnpHttpError404", status.ErrorId);
            Assert.Equal(UpnpErrorCategory.ObjectNotFound, status.Category);
            Assert.Throws<InvalidOperationException>(() => UpnpErrors.Timeout.IdFor(1));
        }

        [Fact]
        public void An_error_carries_its_entrys_id_category_and_advice()
        {
            var error = HttpErrors.ConnectionRefused(new Uri("http://192.168.1.1:5000/ctl"), new System.Net.Sockets.SocketException());

            Assert.Same(UpnpErrors.ConnectionRefused, error.Entry);
            Assert.Equal(UpnpErrors.ConnectionRefused.Id, error.ErrorId);
            Assert.Equal(UpnpErrors.ConnectionRefused.Category, error.Category);
            Assert.Equal(UpnpErrors.ConnectionRefused.RecommendedAction, error.RecommendedAction);
        }

        [Fact]
        public async System.Threading.Tasks.Task One_error_says_a_name_gives_no_usable_address_for_a_device_url_and_for_a_STUN_server()
        {
            // No lookup leaves the host: the server is an IPv6 literal asked for an IPv4 socket.
            var device = HttpErrors.NameNotResolved(new Uri("http://router.example:5000/rootDesc.xml"), null);
            var server = await Assert.ThrowsAsync<UpnpNameNotResolvedException>(() =>
                StunServerAddress.Parse("[::1]:3478").ResolveAsync(System.Net.Sockets.AddressFamily.InterNetwork, default));

            Assert.Equal("UpnpNameNotResolved", device.ErrorId);
            Assert.Equal(device.ErrorId, server.ErrorId);
            Assert.Equal("router.example", device.HostName);
            Assert.Equal("::1", server.HostName);
        }
    }
}
