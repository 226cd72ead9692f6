using System.Threading.Channels;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>One change as a watch delivers it.</summary>
internal sealed record WatchRecord(long Version, string Resource, string Namespace, string Type, string Json);

/// <summary>An open watch on the store: the changes of one resource (in one namespace or all), in order.</summary>
internal sealed class StoreWatch(ClusterStore store, string resource, string? ns) : IDisposable
{
    private readonly Channel<WatchRecord> _records = Channel.CreateUnbounded<WatchRecord>();

    public ChannelReader<WatchRecord> Records => _records.Reader;

    public void Offer(WatchRecord record)
    {
        if (record.Resource == resource && (ns is null || record.Namespace == ns))
        {
            _records.Writer.TryWrite(record);
        }
    }

    public void Close() => _records.Writer.TryComplete();

    public void Dispose()
    {
        Close();
        store.Unsubscribe(this);
    }
}
