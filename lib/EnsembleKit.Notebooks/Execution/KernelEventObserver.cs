using Microsoft.DotNet.Interactive.Events;

namespace EnsembleKit.Notebooks.Execution;

/// <summary>Calls an action for each event a kernel publishes (its event stream is a plain IObservable).</summary>
sealed class KernelEventObserver(Action<KernelEvent> onNext) : IObserver<KernelEvent>
{
    public void OnNext(KernelEvent value) => onNext(value);
    public void OnError(Exception error) { }
    public void OnCompleted() { }
}
