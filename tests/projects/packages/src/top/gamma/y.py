import top.gamma.inner.x
import top.alpha.one
