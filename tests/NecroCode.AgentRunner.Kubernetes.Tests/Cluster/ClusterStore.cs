using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using k8s;
using k8s.Models;

namespace NecroCode.AgentRunner.Kubernetes.Tests.Cluster;

/// <summary>
/// The cluster's object storage: every object as its JSON, one global <c>resourceVersion</c> counter bumped by each
/// write, a bounded history of changes for watches (older versions answer <c>410 Gone</c>), and a wake-up for the
/// controllers on every write.
/// </summary>
internal sealed class ClusterStore(TimeProvider time, int historyLimit)
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Resource, string Namespace, string Name), string> _objects = [];
    private readonly List<WatchRecord> _history = [];
    private readonly List<StoreWatch> _watches = [];
    private readonly List<Channel<bool>> _listeners = [];
    private long _version = 1;
    private long _compacted;

    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    public T? Get<T>(ResourceInfo resource, string ns, string name)
        where T : class
    {
        lock (_gate)
        {
            return _objects.TryGetValue((resource.Plural, ns, name), out var json) ? KubeJson.Deserialize<T>(json) : null;
        }
    }

    public string? GetJson(ResourceInfo resource, string ns, string name)
    {
        lock (_gate)
        {
            return _objects.GetValueOrDefault((resource.Plural, ns, name));
        }
    }

    /// <summary>The objects of a resource (in one namespace, or all when null) and the version the list is at.</summary>
    public (IReadOnlyList<string> Items, long Version) ListJson(ResourceInfo resource, string? ns)
    {
        lock (_gate)
        {
            var items = _objects.Where(o => o.Key.Resource == resource.Plural && (ns is null || o.Key.Namespace == ns))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value).ToList();
            return (items, _version);
        }
    }

    public IReadOnlyList<T> List<T>(ResourceInfo resource, string? ns) =>
        [.. ListJson(resource, ns).Items.Select(KubeJson.Deserialize<T>)];

    /// <summary>Stores a new object: name from <c>generateName</c>, <c>uid</c>, <c>creationTimestamp</c>, version.</summary>
    public T Create<T>(ResourceInfo resource, T item)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var metadata = item.Metadata ??= new V1ObjectMeta();
        lock (_gate)
        {
            if (string.IsNullOrEmpty(metadata.Name) && !string.IsNullOrEmpty(metadata.GenerateName))
            {
                do
                {
                    metadata.Name = metadata.GenerateName + RandomNumberGenerator.GetString(NameAlphabet, 5);
                }
                while (_objects.ContainsKey((resource.Plural, metadata.NamespaceProperty, metadata.Name)));
            }

            ResourceValidation.ValidateName(resource, metadata.Name);
            var key = (resource.Plural, metadata.NamespaceProperty, metadata.Name);
            if (_objects.ContainsKey(key))
            {
                throw ApiError.AlreadyExists(resource, metadata.Name);
            }

            item.ApiVersion = resource.ApiVersion;
            item.Kind = resource.Kind;
            metadata.Uid ??= Guid.NewGuid().ToString();
            metadata.CreationTimestamp = Now();
            metadata.DeletionTimestamp = null;
            metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (resource == ResourceInfo.Jobs)
            {
                metadata.Generation = 1;
            }

            var json = KubeJson.Serialize(item);
            _objects[key] = json;
            Record(resource, metadata.NamespaceProperty, "ADDED", json);
            return (T)KubeJson.Deserialize(json, item.GetType());
        }
    }

    /// <summary>Reads, changes and writes an object atomically; <paramref name="change"/> returns false to write nothing.</summary>
    public T? Update<T>(ResourceInfo resource, string ns, string name, Func<T, bool> change)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue((resource.Plural, ns, name), out var json))
            {
                return null;
            }

            var item = KubeJson.Deserialize<T>(json);
            if (!change(item))
            {
                return item;
            }

            item.Metadata.ResourceVersion = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var updated = KubeJson.Serialize(item);
            _objects[(resource.Plural, ns, name)] = updated;
            Record(resource, ns, "MODIFIED", updated);
            return item;
        }
    }

    /// <summary>Removes an object; the DELETED event carries it at a new version. Null when it was not there.</summary>
    public string? Remove(ResourceInfo resource, string ns, string name, string? uid = null)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue((resource.Plural, ns, name), out var json)
                || (uid is not null && JsonNode.Parse(json)?["metadata"]?["uid"]?.GetValue<string>() != uid))
            {
                return null;
            }

            _objects.Remove((resource.Plural, ns, name));
            var node = JsonNode.Parse(json)!;
            node["metadata"]!["resourceVersion"] = (++_version).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var deleted = node.ToJsonString();
            Record(resource, ns, "DELETED", deleted);
            return deleted;
        }
    }

    /// <summary>Starts a watch after <paramref name="from"/> (null: the current objects as ADDED first).</summary>
    public StoreWatch Watch(ResourceInfo resource, string? ns, long? from)
    {
        lock (_gate)
        {
            var watch = new StoreWatch(this, resource.Plural, ns);
            if (from is null)
            {
                foreach (var item in _objects.Where(o => o.Key.Resource == resource.Plural && (ns is null || o.Key.Namespace == ns)))
                {
                    watch.Offer(new WatchRecord(_version, resource.Plural, item.Key.Namespace, "ADDED", item.Value));
                }
            }
            else
            {
                if (from.Value < _compacted)
                {
                    throw ApiError.Expired(from.Value, _compacted);
                }

                foreach (var record in _history.Where(r => r.Version > from.Value))
                {
                    watch.Offer(record);
                }
            }

            _watches.Add(watch);
            return watch;
        }
    }

    /// <summary>Throws 410 when <paramref name="from"/> is older than the kept history.</summary>
    public void EnsureNotExpired(long from)
    {
        lock (_gate)
        {
            if (from < _compacted)
            {
                throw ApiError.Expired(from, _compacted);
            }
        }
    }

    /// <summary>Forgets the history: a watch from any version older than now answers 410.</summary>
    public void ExpireHistory()
    {
        lock (_gate)
        {
            _history.Clear();
            _compacted = _version;
        }
    }

    /// <summary>Ends every open watch (their streams close as a real server's do at timeout or restart).</summary>
    public void CloseWatches()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                watch.Close();
            }

            _watches.Clear();
        }
    }

    /// <summary>A channel that receives a signal after every write (for the controllers' loops).</summary>
    public ChannelReader<bool> Listen()
    {
        var channel = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        lock (_gate)
        {
            _listeners.Add(channel);
        }

        return channel.Reader;
    }

    public DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    internal void Unsubscribe(StoreWatch watch)
    {
        lock (_gate)
        {
            _watches.Remove(watch);
        }
    }

    private void Record(ResourceInfo resource, string ns, string type, string json)
    {
        var record = new WatchRecord(_version, resource.Plural, ns, type, json);
        _history.Add(record);
        if (_history.Count > historyLimit)
        {
            _compacted = _history[0].Version;
            _history.RemoveAt(0);
        }

        foreach (var watch in _watches)
        {
            watch.Offer(record);
        }

        foreach (var listener in _listeners)
        {
            listener.Writer.TryWrite(true);
        }
    }
}
