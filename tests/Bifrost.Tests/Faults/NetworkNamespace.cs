using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Bifrost.Tests.Faults;

/// <summary>
/// A Linux network namespace with only a loopback interface (<c>ip netns</c>, needs root). A process started in it
/// reaches nothing outside except through the <see cref="LoopbackProxy"/>s listening inside it — so the test owns
/// the service's only path to the broker and can cut it, while everything else on the machine is unaffected.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static NetworkNamespace Create()
    {
        var ns = new NetworkNamespace("bifrost-" + Guid.NewGuid().ToString("N")[..8]);
        Run("ip", "netns", "add", ns.Name);
        Run("ip", "netns", "exec", ns.Name, "ip", "link", "set", "lo", "up");
        return ns;
    }

    /// <summary>
    /// A listening socket inside the namespace: a dedicated thread enters it (setns), binds, and exits; the socket
    /// stays in the namespace it was created in, while the rest of this process stays outside.
    /// </summary>
    public Socket Listen(int port)
    {
        Socket? listener = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var handle = File.OpenHandle($"/var/run/netns/{Name}");
                if (SetNs((int)handle.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns failed: errno {Marshal.GetLastPInvokeError()}");
                }

                listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
                listener.Listen(128);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        });
        thread.Start();
        thread.Join();
        return listener ?? throw new InvalidOperationException("could not listen inside the namespace", error);
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);

    internal static void Run(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', command)}: {stderr}");
        }
    }

    public void Dispose() => Run("ip", "netns", "del", Name);
}

/// <summary>
/// Forwards 127.0.0.1:port inside a <see cref="NetworkNamespace"/> to 127.0.0.1:port outside. Same port on
/// both sides, so the broker's advertised address (127.0.0.1:port) leads the namespaced service back here.
/// <see cref="Cut"/> blackholes the link like a pulled cable: connections stay open but no byte passes, new
/// connections are accepted and hang; <see cref="Restore"/> lets the held bytes through again.
/// </summary>
internal sealed class LoopbackProxy : IDisposable
{
    private readonly Socket _listener;
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _sockets = [];
    private volatile TaskCompletionSource _open = Opened();

    public LoopbackProxy(NetworkNamespace ns, int port)
    {
        _port = port;
        _listener = ns.Listen(port);
        _ = AcceptLoopAsync();
    }

    public bool IsCut => !_open.Task.IsCompleted;

    public void Cut()
    {
        if (!IsCut)
        {
            _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Restore() => _open.TrySetResult();

    private static TaskCompletionSource Opened()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inside;
            try
            {
                inside = await _listener.AcceptAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            _ = Task.Run(async () =>
            {
                using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await _open.Task.WaitAsync(_stop.Token); // a cut network does not connect either
                    await outside.ConnectAsync(new IPEndPoint(IPAddress.Loopback, _port), _stop.Token);
                    lock (_sockets)
                    {
                        _sockets.Add(inside);
                        _sockets.Add(outside);
                    }

                    await Task.WhenAny(PumpAsync(inside, outside), PumpAsync(outside, inside));
                }
                catch (Exception)
                {
                    // a closed side ends the connection
                }
                finally
                {
                    inside.Dispose();
                }
            });
        }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                to.Shutdown(SocketShutdown.Send);
                return;
            }

            await _open.Task.WaitAsync(_stop.Token);
            await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_sockets)
        {
            _sockets.ForEach(s => s.Dispose());
        }
    }
}
