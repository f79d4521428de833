using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using PSUpnp.Stun;

namespace PSUpnp.Nat
{
    /// <summary>Test I of behaviour discovery raced across every named server: the one that can do RFC 5780 wins.</summary>
    internal static class ServerRace
    {
        /// <summary>One round of test I to every server at once: the first answer with OTHER-ADDRESS, else the first answer, else null.</summary>
        public static async Task<((StunServerAddress Name, IPEndPoint EndPoint) Server, StunTransactionResult Result)?> AskEveryServerAsync(StunClient main, List<(StunServerAddress Name, IPEndPoint EndPoint)> servers, StunRetransmissionPolicy round, CancellationToken token)
        {
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                var pending = servers.Select(s => main.SendAsync(NatBehaviorDiscovery.Binding(), s.EndPoint, round, stop.Token)).ToList();
                var byTask = pending.Select((t, i) => (Task: t, Server: servers[i])).ToList();
                (( StunServerAddress, IPEndPoint) Server, StunTransactionResult Result)? chosen = null;

                // A server without OTHER-ADDRESS still answers test I: keep the first such answer in case no server can do more.
                (( StunServerAddress, IPEndPoint) Server, StunTransactionResult Result)? firstAnswered = null;
                var remaining = new List<Task<StunTransactionResult>>(pending);
                while (remaining.Count > 0 && chosen == null)
                {
                    var done = await Task.WhenAny(remaining).ConfigureAwait(false);
                    remaining.Remove(done);
                    var result = await done.ConfigureAwait(false);
                    var server = byTask.First(b => b.Task == done).Server;
                    if (result.Answered && result.Response!.AlternateAddress != null && result.Response.ReflexiveAddress != null)
                    {
                        chosen = (server, result);
                    }
                    else if (result.Answered && firstAnswered == null)
                    {
                        firstAnswered = (server, result);
                    }
                }

                stop.Cancel();
                foreach (var task in remaining)
                {
                    try
                    {
                        await task.ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!token.IsCancellationRequested)
                    {
                        // Another server already answered; this one's transaction was stopped on purpose.
                    }
                }

                return chosen ?? firstAnswered;
            }
        }
    }
}
