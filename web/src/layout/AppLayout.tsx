import { lazy, Suspense, useState, type ReactNode } from "react";
import { Button, Grid, Layout, Menu, Segmented, Space, Tag, type MenuProps } from "antd";
import { LogoutOutlined, MenuOutlined } from "@ant-design/icons";
import { Text } from "../components/Text";
import { useLocation, useNavigate } from "../lib/router";
import { hasRole, useAuth } from "../auth/AuthProvider";
import { useI18n } from "../i18n/I18nProvider";
import type { MessageKey } from "../i18n/messages";
import { navigation, type NavItem } from "./navigation";
import { NotificationBell } from "./NotificationBell";

const { Header, Sider, Content } = Layout;
const NavDrawer = lazy(() => import("./NavDrawer"));

/** The frame of every screen: the navigation (a drawer on a phone), who is signed in, the bell. */
export function AppLayout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { me } = useAuth();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawer, setDrawer] = useState(false);
  const [drawerUsed, setDrawerUsed] = useState(false);
  const location = useLocation();
  const navigate = useNavigate();

  const visible = (item: NavItem): boolean => !item.roles || hasRole(me, ...item.roles);
  const items: MenuProps["items"] = navigation.filter(visible).map((item) => ({
    key: item.path, icon: item.icon, label: t(item.label),
    children: item.children?.filter(visible).map((child) => ({ key: child.path, icon: child.icon, label: t(child.label) })),
  }));
  const selected = [...navigation.flatMap((item) => [item, ...(item.children ?? [])])]
    .filter((item) => location.pathname.startsWith(item.path))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path;
  const menu = (
    <Menu mode="inline" items={items} selectedKeys={selected ? [selected] : []}
          defaultOpenKeys={selected?.startsWith("/admin") ? ["/admin"] : []}
          onClick={({ key }) => { navigate(key); setDrawer(false); }} />
  );

  return (
    <Layout style={{ minHeight: "100vh" }}>
      {!phone && (
        <Sider width={220} theme="light" breakpoint="lg" collapsible aria-label={t("nav.menu")}>
          <Text strong style={{ display: "block", padding: "16px 24px", fontSize: 18 }}>{t("app.name")}</Text>
          <nav>{menu}</nav>
        </Sider>
      )}
      <Layout>
        <Header style={{ background: "#fff", padding: "0 16px", display: "flex", alignItems: "center", gap: 12,
                         borderBottom: "1px solid #f0f0f0" }}>
          {phone && <Button type="text" icon={<MenuOutlined />} aria-label={t("nav.menu")} onClick={() => { setDrawerUsed(true); setDrawer(true); }} />}
          <div style={{ flex: 1 }} />
          <NotificationBell />
          <UserBadge phone={phone} />
        </Header>
        <Content style={{ padding: phone ? 8 : 24 }}>
          <main>{children}</main>
        </Content>
      </Layout>
      {phone && drawerUsed && (
        <Suspense>
          <NavDrawer open={drawer} onClose={() => setDrawer(false)} title={t("app.name")}><nav>{menu}</nav></NavDrawer>
        </Suspense>
      )}
    </Layout>
  );
}

function UserBadge({ phone }: { phone: boolean }) {
  const { t, language, setLanguage } = useI18n();
  const { me, unitName, signOut } = useAuth();
  return (
    <Space size="small" wrap={false}>
      {!phone && me && (
        <span data-testid="current-user" style={{ lineHeight: 1.2, display: "inline-block" }}>
          <Text strong>{me.full_name || me.username}</Text>
          <br />
          <Text secondary style={{ fontSize: 12 }}>
            {unitName ?? ""} · {me.roles.map((role) => t(`role.${role}` as MessageKey)).join(", ")}
          </Text>
        </span>
      )}
      {phone && me && <Tag>{me.username}</Tag>}
      <Segmented aria-label={t("header.language")} value={language} onChange={setLanguage} size="small"
                 options={[{ value: "vi", label: "VI", title: "Tiếng Việt" }, { value: "en", label: "EN", title: "English" }]} />
      <Button icon={<LogoutOutlined />} onClick={() => void signOut()} aria-label={t("header.signOut")}>
        {phone ? null : t("header.signOut")}
      </Button>
    </Space>
  );
}
